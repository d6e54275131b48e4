/**
 * Failure webhooks: a failed scheduled run is POSTed as JSON to the dataset's webhook URL, signed
 * with HMAC-SHA256 of the raw body under the dataset's signing secret:
 *
 *   X-ChurnGuard-Signature: sha256=<hex of HMAC-SHA256(secret, body)>
 *   X-ChurnGuard-Event: retraining.failed
 *
 * Delivery is a durable job (jobs/functions/retraining-webhook.ts): a non-2xx answer or a network
 * error throws, and the runner retries with backoff; a target the SSRF guard refuses
 * (webhook-guard.ts) fails at once.
 */
import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { retrainingSchedules } from "../../db/schema";
import {
  guardedLookup,
  type Resolve,
  systemResolve,
  type WebhookPolicy,
  WebhookTargetError,
  webhookPolicy,
  webhookUrlProblem,
} from "./webhook-guard";

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

export interface DeliveryOptions {
  /** Name resolution (tests pass a fake one to play DNS rebinding). */
  resolve?: Resolve;
  policy?: WebhookPolicy;
}

/**
 * Sends one payload to the dataset's current webhook (none configured any more: nothing to do).
 * The URL is checked again (the rules may be stricter now than when it was saved), and the name
 * is resolved and checked inside the connection (webhook-guard.ts). A refused target is not
 * retried: a retry cannot make it acceptable.
 */
export async function deliverWebhook(
  db: Database,
  datasetId: number,
  payload: Record<string, unknown>,
  options: DeliveryOptions = {},
): Promise<{ delivered: boolean; status?: number }> {
  const [schedule] = await db
    .select({ url: retrainingSchedules.webhookUrl, secret: retrainingSchedules.webhookSecret })
    .from(retrainingSchedules)
    .where(eq(retrainingSchedules.datasetId, datasetId));
  if (!schedule?.url || !schedule.secret) return { delivered: false };
  const policy = options.policy ?? webhookPolicy();
  const problem = webhookUrlProblem(schedule.url, policy);
  if (problem) throw new WebhookTargetError(problem);
  const body = JSON.stringify(payload);
  const status = await postJson(
    new URL(schedule.url),
    {
      [SIGNATURE_HEADER]: signWebhookBody(schedule.secret, body),
      "X-ChurnGuard-Event": String(payload.event ?? "retraining.failed"),
    },
    body,
    guardedLookup(options.resolve ?? systemResolve, policy),
  );
  if (status >= 300 && status < 400) {
    throw new WebhookDeliveryError(`The webhook answered ${status}: redirects are not followed`);
  }
  if (status < 200 || status >= 300) {
    throw new WebhookDeliveryError(`The webhook answered ${status}`);
  }
  return { delivered: true, status };
}

/**
 * node:http(s) rather than fetch: fetch takes no per-request `lookup`, and the guard must check
 * the very address the socket connects to. Node's client never follows redirects.
 */
function postJson(
  url: URL,
  headers: Record<string, string>,
  body: string,
  lookup: LookupFunction,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      url,
      {
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "ChurnGuard-Webhook/1",
        },
        lookup,
        // A fresh connection each time: a pooled socket would skip the lookup, hence the guard.
        agent: false,
        timeout: TIMEOUT_MS,
      },
      (response) => {
        response.resume(); // the body is not read; draining frees the socket
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on("error", (error) => {
      reject(
        error instanceof WebhookTargetError
          ? error
          : new WebhookDeliveryError(`The webhook could not be reached: ${error.message}`),
      );
    });
    request.end(body);
  });
}
