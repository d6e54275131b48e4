/**
 * Optional SMTP e-mail, end to end against an in-process SMTP server: the set-password link of a
 * created and of a reset user, and the failed-retraining notice to active managers and admins,
 * each sent by the durable send-mail job (retried when the server refuses). Without SMTP nothing
 * is queued and the answer says the link was not e-mailed.
 */
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { sendMail } from "@/jobs/functions/send-mail";
import type { DatabaseHandle } from "../../db/client";
import { datasets, jobs, retrainingSchedules, users } from "../../db/schema";
import { resetServerEnvCache } from "../../env";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { recordScheduledFailure } from "../retraining/failures";
import { testRunner } from "../training/test-helpers";
import type { PublicUser } from "../users";
import { unsealMessage } from "./mailer";

interface Received {
  from: string;
  to: string[];
  subject: string;
  body: string;
}

/** Headers and body of a raw message; quoted-printable soft breaks and escapes undone. */
function parseRaw(raw: string): { subject: string; body: string } {
  const [head, ...rest] = raw.split(/\r\n\r\n/);
  const unfolded = head.replace(/\r\n[ \t]+/g, " ");
  const subject = /^Subject: (.*)$/im.exec(unfolded)?.[1] ?? "";
  const body = rest
    .join("\r\n\r\n")
    .replace(/=\r\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return { subject, body };
}

describe.each(testDatabaseKinds())("e-mail through SMTP (%s)", (kind) => {
  let handle: DatabaseHandle;
  let smtp: SMTPServer;
  let smtpPort: number;
  let received: Received[] = [];
  let refuseNext = 0;
  let admin: PublicUser;

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    admin = (await createUser(handle.db, "admin")).user;
    smtp = new SMTPServer({
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      authOptional: true,
      logger: false,
      onAuth: (auth, _session, callback) =>
        auth.username === "mailer" && auth.password === "s3cret"
          ? callback(null, { user: auth.username })
          : callback(new Error("Invalid username or password")),
      onData: (stream, session, callback) => {
        let raw = "";
        stream.on("data", (chunk: Buffer) => {
          raw += chunk.toString("utf8");
        });
        stream.on("end", () => {
          if (refuseNext > 0) {
            refuseNext -= 1;
            const error = new Error("Mailbox busy, try later") as Error & { responseCode: number };
            error.responseCode = 451;
            return callback(error);
          }
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            ...parseRaw(raw),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;
  }, 60_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => (smtp ? smtp.close(resolve) : resolve()));
    await handle?.close();
  });
  beforeEach(() => {
    received = [];
    refuseNext = 0;
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    resetServerEnvCache();
  });

  function configureSmtp() {
    vi.stubEnv("SMTP_URL", `smtp://mailer:s3cret@127.0.0.1:${smtpPort}`);
    vi.stubEnv("MAIL_FROM", "ChurnGuard <churnguard@example.com>");
    vi.stubEnv("AUTH_URL", "");
    resetServerEnvCache();
  }
  const mailJobs = async () => handle.db.select().from(jobs).where(eq(jobs.functionId, "send-mail"));
  async function sendQueued() {
    const runner = testRunner(handle.db, { functions: [sendMail] });
    for (let i = 0; i < 5; i++) await runner.drain();
  }
  const origin = "https://churnguard.example.com";

  it("e-mails a created user's set-password link, and a reset's, sealed in the job until sent", async () => {
    configureSmtp();
    const earlier = new Set((await mailJobs()).map((j) => j.id)); // tests run in a shuffled order
    const api = callerFor(handle.db, admin);
    const email = `new-${Date.now()}@example.com`;
    const created = await api.users.create({ name: "Nadia New", email, role: "viewer", pageOrigin: origin });
    expect(created.emailed).toBe(true);
    // The link is still shown to the admin, and the job's data does not hold it readable.
    expect(created.link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const queued = (await mailJobs()).filter((j) => !earlier.has(j.id));
    expect(queued).toHaveLength(1);
    expect(JSON.stringify(queued[0].event)).not.toContain(created.link.token);
    expect(queued[0].event.data.kind).toBe("set-password");

    await sendQueued();
    expect(received).toHaveLength(1);
    expect(received[0].to).toEqual([email]);
    expect(received[0].from).toBe("churnguard@example.com");
    expect(received[0].subject).toBe("Your ChurnGuard account is ready");
    expect(received[0].body).toContain(`${origin}/set-password/${created.link.token}`);
    expect(received[0].body).toContain("Hello Nadia New,");

    // A reset: the server refuses once (451), the job retries, one e-mail arrives with the new link.
    refuseNext = 1;
    const reset = await api.users.resetPassword({ userId: created.user.id, pageOrigin: origin });
    expect(reset.emailed).toBe(true);
    await sendQueued();
    expect(received).toHaveLength(2);
    expect(received[1]).toMatchObject({ to: [email], subject: "Reset your ChurnGuard password" });
    expect(received[1].body).toContain(`${origin}/set-password/${reset.token}`);
    expect(received[1].body).not.toContain(created.link.token);
    const mine = (await mailJobs()).filter((j) => !earlier.has(j.id));
    expect(mine.map((j) => j.status)).toEqual(["succeeded", "succeeded"]);
  });

  it("prefers AUTH_URL over the page's origin for the link", async () => {
    configureSmtp();
    vi.stubEnv("AUTH_URL", "https://churn.internal-proxy.example.org/");
    resetServerEnvCache();
    const api = callerFor(handle.db, admin);
    const created = await api.users.create({
      name: "Paul Proxy",
      email: `proxy-${Date.now()}@example.com`,
      role: "manager",
      pageOrigin: "http://10.0.0.5:3000",
    });
    await sendQueued();
    expect(received.at(-1)?.body).toContain(
      `https://churn.internal-proxy.example.org/set-password/${created.link.token}`,
    );
  });

  it("sends nothing without SMTP, and says so", async () => {
    vi.stubEnv("SMTP_URL", "");
    vi.stubEnv("MAIL_FROM", "");
    resetServerEnvCache();
    const before = (await mailJobs()).length;
    const api = callerFor(handle.db, admin);
    const created = await api.users.create({
      name: "Hand Passed",
      email: `hand-${Date.now()}@example.com`,
      role: "viewer",
      pageOrigin: origin,
    });
    expect(created.emailed).toBe(false);
    expect((await api.users.resetPassword({ userId: created.user.id, pageOrigin: origin })).emailed).toBe(
      false,
    );
    expect((await mailJobs()).length).toBe(before);
    await sendQueued();
    expect(received).toEqual([]);
  });

  it("e-mails a failed scheduled run to every active manager and admin, one message each", async () => {
    configureSmtp();
    const manager = (await createUser(handle.db, "manager")).user;
    const gone = (await createUser(handle.db, "manager")).user;
    await handle.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, gone.id));
    const viewer = (await createUser(handle.db, "viewer")).user;
    const [dataset] = await handle.db
      .insert(datasets)
      .values({ name: `Churn mail ${Date.now()}` })
      .returning({ id: datasets.id, name: datasets.name });
    await handle.db.insert(retrainingSchedules).values({ datasetId: dataset.id, cron: "0 6 * * 1" });

    await recordScheduledFailure(handle.db, {
      datasetId: dataset.id,
      runId: null,
      error: "No new dataset version since the champion was trained",
      now: new Date("2026-12-07T05:00:00Z"),
    });
    await sendQueued();
    const expected = (
      await handle.db
        .select({ email: users.email, role: users.role, deactivatedAt: users.deactivatedAt })
        .from(users)
    )
      .filter((u) => u.role !== "viewer" && u.deactivatedAt === null)
      .map((u) => u.email)
      .sort();
    expect(expected).toContain(manager.email);
    expect(expected).toContain(admin.email);
    const recipients = received.flatMap((m) => m.to).sort();
    expect(recipients).toEqual(expected);
    expect(recipients).not.toContain(gone.email);
    expect(recipients).not.toContain(viewer.email);
    expect(received.every((m) => m.to.length === 1)).toBe(true);
    for (const m of received) {
      expect(m.subject).toBe(`Scheduled retraining of ${dataset.name} failed`);
      expect(m.body).toContain("No new dataset version since the champion was trained");
      expect(m.body).toContain("7 Dec 2026, 05:00 UTC");
    }
  });

  it("refuses to open a sealed message that was tampered with", async () => {
    configureSmtp();
    await callerFor(handle.db, admin).users.create({
      name: "Tamper Test",
      email: `tamper-${Date.now()}@example.com`,
      role: "viewer",
      pageOrigin: origin,
    });
    const [job] = (await mailJobs()).filter((j) => j.status === "queued");
    const sealed = String(job.event.data.sealed);
    expect(unsealMessage(sealed).subject).toBe("Your ChurnGuard account is ready");
    const flipped = `${sealed.slice(0, -2)}${sealed.endsWith("AA") ? "AB" : "AA"}`;
    expect(() => unsealMessage(flipped)).toThrow(/could not be opened/);
    await sendQueued();
  });
});
