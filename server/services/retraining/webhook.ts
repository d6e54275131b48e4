/**
 * Failure webhooks: a failed scheduled run is POSTed as JSON to the dataset's webhook URL, signed
 * with HMAC-SHA256 of the raw body under the dataset's signing secret:
 *
 *   X-ChurnGuard-Signature: sha256=<hex of HMAC-SHA256(secret, body)>
 *   X-ChurnGuard-Event: retraining.failed
 *
 * Delivery is a durable job (jobs/functions/retraining-webhook.ts): a non-2xx answer or a network
 * error throws, and the runner retries with backoff.
 */
import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { retrainingSchedules } from "../../db/schema";

export const WEBHOOK_REQUESTED_EVENT = "churnguard/retraining.webhook-requested";
export const SIGNATURE_HEADER = "X-ChurnGuard-Signature";
const TIMEOUT_MS = 10_000;

export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export class WebhookDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookDeliveryError";
  }
}

/** Sends one payload to the dataset's current webhook (none configured any more: nothing to do). */
export async function deliverWebhook(
  db: Database,
  datasetId: number,
  payload: Record<string, unknown>,
  options: { fetch?: typeof fetch } = {},
): Promise<{ delivered: boolean; status?: number }> {
  const [schedule] = await db
    .select({ url: retrainingSchedules.webhookUrl, secret: retrainingSchedules.webhookSecret })
    .from(retrainingSchedules)
    .where(eq(retrainingSchedules.datasetId, datasetId));
  if (!schedule?.url || !schedule.secret) return { delivered: false };
  const body = JSON.stringify(payload);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(schedule.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [SIGNATURE_HEADER]: signWebhookBody(schedule.secret, body),
        "X-ChurnGuard-Event": String(payload.event ?? "retraining.failed"),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new WebhookDeliveryError(`The webhook could not be reached: ${(error as Error).message}`);
  }
  if (response.status < 200 || response.status >= 300) {
    throw new WebhookDeliveryError(`The webhook answered ${response.status}`);
  }
  return { delivered: true, status: response.status };
}
