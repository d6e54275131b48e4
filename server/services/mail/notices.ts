/**
 * The two e-mails ChurnGuard sends, and who gets them. Plain text: they carry one link or one
 * error, and plain text renders the same in every client and cannot hide where a link goes.
 */
import { and, inArray, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { users } from "../../db/schema";
import { serverEnv } from "../../env";
import { queueMailQuietly } from "./mailer";

/**
 * The address people reach ChurnGuard at: AUTH_URL when set (behind a proxy it is the only
 * trustworthy answer), else the origin the admin's browser is on, which is what the admin's
 * colleagues open and what the link shown on the page uses.
 */
export function publicBaseUrl(pageOrigin?: string | null): string | null {
  const configured = serverEnv().AUTH_URL;
  const base = configured ?? pageOrigin ?? null;
  if (!base) return null;
  try {
    return new URL(base).origin;
  } catch {
    return null;
  }
}

const inUtc = (date: Date) =>
  `${date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;

/**
 * E-mails a set-password link to the person it is for. False when nothing was queued (no SMTP, or
 * no address to build the link from): the page then tells the admin to pass the link on.
 */
export async function mailPasswordLink(
  db: Database,
  input: {
    email: string;
    name: string;
    token: string;
    expiresAt: Date;
    isReset: boolean;
    pageOrigin?: string | null;
  },
): Promise<boolean> {
  const base = publicBaseUrl(input.pageOrigin);
  if (!base) return false;
  const url = `${base}/set-password/${input.token}`;
  const subject = input.isReset ? "Reset your ChurnGuard password" : "Your ChurnGuard account is ready";
  const opening = input.isReset
    ? "An administrator reset your ChurnGuard password. Your old password no longer works."
    : "An administrator created a ChurnGuard account for you.";
  const text = [
    `Hello ${input.name},`,
    "",
    opening,
    "Choose your password here (the link works once):",
    "",
    url,
    "",
    `The link expires on ${inUtc(input.expiresAt)}. After that, ask an administrator for a new one.`,
    `You will sign in with ${input.email}.`,
    "",
    "If you did not expect this e-mail, you can ignore it.",
  ].join("\n");
  return queueMailQuietly(db, { kind: "set-password", to: input.email, subject, text });
}

/**
 * Tells every active manager and admin (they configure and approve retraining; roles are global,
 * so these are the dataset's managers) that a scheduled run failed. One e-mail per person, so
 * addresses are not shared and a bad address does not hold up the others' retries.
 */
export async function mailRetrainingFailure(
  db: Database,
  input: {
    datasetId: number;
    datasetName: string | null;
    runId: number | null;
    error: string;
    failedAt: Date;
  },
): Promise<number> {
  const recipients = await db
    .select({ email: users.email, name: users.name })
    .from(users)
    .where(and(inArray(users.role, ["manager", "admin"]), isNull(users.deactivatedAt)));
  if (recipients.length === 0) return 0;
  const name = input.datasetName ?? `Dataset ${input.datasetId}`;
  const base = publicBaseUrl();
  const subject = `Scheduled retraining of ${name} failed`;
  let queued = 0;
  for (const person of recipients) {
    const text = [
      `Hello ${person.name},`,
      "",
      `The scheduled retraining of the dataset "${name}" failed on ${inUtc(input.failedAt)}.`,
      input.runId !== null ? `Training run: #${input.runId}` : "The run could not start.",
      "",
      `Error: ${input.error}`,
      "",
      base
        ? `Open the dataset's retraining page: ${base}/datasets/${input.datasetId}/retraining`
        : "Open the dataset's Retraining page in ChurnGuard to see the details.",
      "The champion model is unchanged and keeps scoring.",
    ].join("\n");
    if (await queueMailQuietly(db, { kind: "retraining-failed", to: person.email, subject, text }))
      queued += 1;
  }
  return queued;
}
