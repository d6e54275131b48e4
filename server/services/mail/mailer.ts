/**
 * Optional outgoing e-mail (SMTP_URL + MAIL_FROM): set-password links and failed retraining
 * notices. Without SMTP nothing is sent and callers say so (the admin passes a link on by hand).
 *
 * A message is sent by a durable job (jobs/functions/send-mail.ts), so an SMTP server that is slow
 * or down never holds up the request, and a failed send is retried with backoff. The job's data is
 * sealed (AES-256-GCM under a key derived from the auth secret): the jobs table, and Inngest when
 * it runs the jobs, would otherwise hold a usable set-password link, where the users table keeps
 * only its hash. Only the kind of message is readable, for the Jobs page.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { createTransport, type Transporter } from "nodemailer";
import { z } from "zod";
import { authSecret } from "../../auth/secret";
import type { Database } from "../../db/client";
import { NonRetriableError } from "../../durable/contract";
import { startDurableWork } from "../../durable/port";
import { serverEnv } from "../../env";

export const MAIL_REQUESTED_EVENT = "churnguard/mail.requested";

export const MAIL_KINDS = ["set-password", "retraining-failed"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export interface MailMessage {
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
}

const messageSchema = z.object({
  kind: z.enum(MAIL_KINDS),
  to: z.string().min(3),
  subject: z.string().min(1),
  text: z.string(),
});

export function isMailConfigured(): boolean {
  const env = serverEnv();
  return Boolean(env.SMTP_URL && env.MAIL_FROM);
}

// ─── Sealing ────────────────────────────────────────────────────────────────────────────────────

function sealingKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret(), "churnguard", "mail job data v1", 32));
}

export function sealMessage(message: MailMessage): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(message), "utf8"), cipher.final()]);
  return [
    "v1",
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    body.toString("base64url"),
  ].join(".");
}

/** Not retried (a NonRetriableError): a retry cannot open it either. */
export class MailSealError extends NonRetriableError {
  constructor() {
    super("The e-mail could not be opened: the auth secret changed since it was queued");
    this.name = "MailSealError";
  }
}

export function unsealMessage(sealed: string): MailMessage {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !body) throw new MailSealError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealingKey(), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const text = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]);
    return messageSchema.parse(JSON.parse(text.toString("utf8")));
  } catch {
    throw new MailSealError();
  }
}

// ─── Queue and send ─────────────────────────────────────────────────────────────────────────────

export const mailJobDataSchema = z.object({ kind: z.enum(MAIL_KINDS), sealed: z.string().min(1) });

/**
 * Queues the message as durable work; false (nothing queued) when SMTP is not configured. Under
 * Inngest the event leaves at once, so call it after the transaction that made the message true.
 */
export async function queueMail(db: Database, message: MailMessage): Promise<boolean> {
  if (!isMailConfigured()) return false;
  await startDurableWork(db, MAIL_REQUESTED_EVENT, { kind: message.kind, sealed: sealMessage(message) });
  return true;
}

/** Like queueMail, but a failure to queue is logged, not thrown: the e-mail is a courtesy. */
export async function queueMailQuietly(db: Database, message: MailMessage): Promise<boolean> {
  try {
    return await queueMail(db, message);
  } catch (error) {
    console.error(`[mail] could not queue a ${message.kind} e-mail`, error);
    return false;
  }
}

let cachedTransport: { url: string; transport: Transporter } | null = null;

function transportFor(url: string): Transporter {
  if (cachedTransport?.url !== url) {
    cachedTransport?.transport.close();
    cachedTransport = {
      url,
      transport: createTransport(url, {
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 30_000,
      }),
    };
  }
  return cachedTransport.transport;
}

/** Sends a sealed message now (the mail job's step). Throws on failure, so the runner retries. */
export async function deliverSealedMail(
  sealed: string,
  options: { transport?: Transporter } = {},
): Promise<{ sent: boolean; messageId?: string }> {
  const env = serverEnv();
  if (!env.SMTP_URL || !env.MAIL_FROM) return { sent: false }; // SMTP removed since it was queued
  const message = unsealMessage(sealed);
  const info = await (options.transport ?? transportFor(env.SMTP_URL)).sendMail({
    from: env.MAIL_FROM,
    to: message.to,
    subject: message.subject,
    text: message.text,
  });
  return { sent: true, messageId: String(info.messageId ?? "") };
}
