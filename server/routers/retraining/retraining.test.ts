/**
 * Scheduled retraining end to end on a real database, with a fake clock: a due schedule starts
 * one challenger run (however many slots were missed), the run trains on the newest version, both
 * models are scored on the same held-out rows of that version, and the rule promotes or keeps the
 * champion; under the manual policy a manager approves or rejects with a reason. A failed
 * scheduled run leaves a banner, an audit entry and a signed webhook delivery (retried).
 */
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { generateTelcoLikeRows, toCsv } from "@/data/generate-sample";
import { retrainingWebhook } from "@/jobs/functions/retraining-webhook";
import { scoreChampion } from "@/jobs/functions/score-champion";
import { trainModels } from "@/jobs/functions/train-models";
import { NonRetriableError } from "@/jobs/types";
import { createRng } from "@/lib/ml/random";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, jobs, modelDecisions, models, retrainingSchedules, trainingRuns } from "../../db/schema";
import { resetServerEnvCache } from "../../env";
import type { Actor } from "../../services/audit";
import { importDatasetFromFile } from "../../services/datasets";
import { useTemporaryDataDir } from "../../services/datasets/test-helpers";
import { runDueSchedules, updateSchedule } from "../../services/retraining";
import { countingFunction, runUntilFinished, testRunner } from "../../services/training/test-helpers";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { trainVersion } from "../../testing/trained-dataset";

/** Telco-like rows whose Churn column is shuffled: a champion trained on them ranks at chance. */
function noiseCsv(rows: number, seed: number): string {
  const table = generateTelcoLikeRows(rows, seed);
  const churn = table[0].indexOf("Churn");
  const rng = createRng(seed);
  for (let i = 1; i < table.length; i++) table[i][churn] = rng.next() < 0.3 ? "Yes" : "No";
  return toCsv(table);
}
const signalCsv = (rows: number, seed: number) => toCsv(generateTelcoLikeRows(rows, seed));

const T0 = new Date("2026-12-01T05:00:00Z"); // a Tuesday

describe.each(testDatabaseKinds())("scheduled retraining on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let manager: Awaited<ReturnType<typeof createUser>>["user"];
  let viewer: Awaited<ReturnType<typeof createUser>>["user"];
  let actor: Actor;
  const functions = [trainModels, scoreChampion, retrainingWebhook];

  /** A dataset whose champion was trained on noise, with a newer version carrying the signal. */
  async function datasetWithStaleChampion(name: string, seed: number) {
    const first = await trainVersion(handle.db, actor, {
      name,
      csv: noiseCsv(300, seed),
      algorithms: ["logistic_regression"],
    });
    const next = await importDatasetFromFile(handle.db, actor, {
      bytes: new TextEncoder().encode(signalCsv(400, seed + 1)),
      name,
      fileName: `${name}-v2.csv`,
    });
    return {
      datasetId: first.datasetId,
      championId: first.championId,
      newestVersionId: next.datasetVersionId,
    };
  }

  async function scheduleFor(
    datasetId: number,
    rule: { policy: "manual" | "automatic"; margin: number },
    now = T0,
  ) {
    return updateSchedule(
      handle.db,
      actor,
      {
        datasetId,
        isEnabled: true,
        cron: "0 6 * * *",
        timeZone: "Europe/Berlin",
        policy: rule.policy,
        metric: "auc",
        margin: rule.margin,
        calibrationBound: 1,
      },
      { now },
    );
  }

  const championOf = async (datasetId: number) =>
    (
      await handle.db
        .select({ id: models.id })
        .from(models)
        .where(and(eq(models.datasetId, datasetId), eq(models.status, "champion")))
    )[0]?.id;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    manager = (await createUser(handle.db, "manager")).user;
    viewer = (await createUser(handle.db, "viewer")).user;
    actor = { id: manager.id, label: manager.email };
  }, 60_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });
  // Tests run in a shuffled order: no schedule of one test may fall due in another.
  afterEach(async () => {
    await handle.db.update(retrainingSchedules).set({ isEnabled: false, nextRunAt: null });
  });
  const startOf = (started: Awaited<ReturnType<typeof runDueSchedules>>, datasetId: number) => {
    const mine = started.filter((s) => s.datasetId === datasetId);
    expect(mine).toHaveLength(1);
    return mine[0];
  };

  it("runs a due schedule once after missed slots, on the newest version, and promotes when the rule says so", async () => {
    // Another dataset first, so ids of datasets, versions and models differ from the one under test.
    const other = await datasetWithStaleChampion("Other", 31);
    const stale = await datasetWithStaleChampion("Auto promote", 41);
    const view = await scheduleFor(stale.datasetId, { policy: "automatic", margin: 0.05 });
    // 06:00 Berlin is 05:00 UTC in winter: the first slot after T0 (05:00 UTC) is the next day's.
    expect(view.description).toBe("At 06:00 (Europe/Berlin)");
    expect(view.nextRuns.map((d) => d.toISOString())).toEqual([
      "2026-12-02T05:00:00.000Z",
      "2026-12-03T05:00:00.000Z",
      "2026-12-04T05:00:00.000Z",
    ]);

    // Nothing is due before the first slot.
    expect(await runDueSchedules(handle.db, { now: new Date("2026-12-02T04:59:00Z") })).toEqual([]);
    // The server was down for three days (three slots missed): one run starts, not three.
    const now = new Date("2026-12-05T09:30:00Z");
    const started = [startOf(await runDueSchedules(handle.db, { now }), stale.datasetId)];
    expect(started[0]).toMatchObject({ datasetId: stale.datasetId, outcome: "started" });
    expect(await runDueSchedules(handle.db, { now: new Date("2026-12-05T09:31:00Z") })).toEqual([]);
    const [schedule] = await handle.db
      .select()
      .from(retrainingSchedules)
      .where(eq(retrainingSchedules.datasetId, stale.datasetId));
    expect(schedule.nextRunAt?.toISOString()).toBe("2026-12-06T05:00:00.000Z");
    expect(schedule.lastRunAt?.toISOString()).toBe(now.toISOString());

    const run = await runUntilFinished(
      testRunner(handle.db, { functions }),
      handle.db,
      started[0].runId as number,
    );
    expect(run).toMatchObject({
      status: "succeeded",
      trigger: "schedule",
      datasetVersionId: stale.newestVersionId,
    });

    const [decision] = await handle.db.select().from(modelDecisions).where(eq(modelDecisions.runId, run.id));
    expect(decision).toMatchObject({
      datasetId: stale.datasetId,
      championModelId: stale.championId,
      outcome: "promoted",
      decidedBy: "rule",
    });
    const challenger = decision.challengerFigures as { auc: number; brier: number };
    const champion = decision.championFigures as { auc: number; brier: number };
    expect(challenger.auc - champion.auc).toBeGreaterThanOrEqual(0.05);
    // 20 % of the newest version's 400 rows, stratified.
    expect(decision.heldOutRows).toBe(80);
    // The usual promote path: the challenger is champion and scores every customer as a job.
    await testRunner(handle.db, { functions }).drain();
    expect(await championOf(stale.datasetId)).toBe(decision.challengerModelId);
    const scoring = await handle.db.select().from(jobs).where(eq(jobs.functionId, "score-champion"));
    expect(
      scoring.some(
        (j) => (j.event as { data?: { modelId?: number } }).data?.modelId === decision.challengerModelId,
      ),
    ).toBe(true);
    // The other dataset is untouched.
    expect(await championOf(other.datasetId)).toBe(other.championId);

    const history = await callerFor(handle.db, viewer).retraining.decisions({ datasetId: stale.datasetId });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ outcome: "promoted", champion: { modelId: stale.championId } });
    expect(await callerFor(handle.db, viewer).retraining.decisions({ datasetId: other.datasetId })).toEqual(
      [],
    );
  }, 240_000);

  it("keeps the champion when the challenger does not beat it by the margin", async () => {
    const stale = await datasetWithStaleChampion("Auto keep", 51);
    await scheduleFor(stale.datasetId, { policy: "automatic", margin: 1 });
    const start = startOf(
      await runDueSchedules(handle.db, { now: new Date("2026-12-02T05:00:00Z") }),
      stale.datasetId,
    );
    const run = await runUntilFinished(
      testRunner(handle.db, { functions }),
      handle.db,
      start.runId as number,
    );
    expect(run.status).toBe("succeeded");
    const [decision] = await handle.db.select().from(modelDecisions).where(eq(modelDecisions.runId, run.id));
    expect(decision).toMatchObject({ outcome: "kept", decidedBy: "rule" });
    expect((decision.ruleReasons as string[])[0]).toMatch(/not better enough/);
    expect(await championOf(stale.datasetId)).toBe(stale.championId);
    const challengerRow = await handle.db
      .select()
      .from(models)
      .where(eq(models.id, decision.challengerModelId));
    expect(challengerRow[0].status).toBe("candidate");
  }, 240_000);

  it("waits for a manager under the manual policy: approve once with a reason, or reject", async () => {
    const stale = await datasetWithStaleChampion("Manual", 61);
    await scheduleFor(stale.datasetId, { policy: "manual", margin: 0 });
    const api = callerFor(handle.db, manager);
    const started = await api.retraining.runNow({ datasetId: stale.datasetId });
    // A double click: the second start is refused while the first run is going.
    await expect(api.retraining.runNow({ datasetId: stale.datasetId })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await runUntilFinished(testRunner(handle.db, { functions }), handle.db, started.runId as number);
    const [pending] = await api.retraining.decisions({ datasetId: stale.datasetId });
    expect(pending.outcome).toBe("pending");
    expect(await championOf(stale.datasetId)).toBe(stale.championId);

    await expect(api.retraining.approve({ decisionId: pending.id, reason: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      callerFor(handle.db, viewer).retraining.approve({ decisionId: pending.id, reason: "looks good" }),
    ).rejects.toBeInstanceOf(TRPCError);
    // Two managers at once: one promotion, one CONFLICT.
    const outcomes = await Promise.allSettled([
      api.retraining.approve({ decisionId: pending.id, reason: "Better on the new data" }),
      api.retraining.approve({ decisionId: pending.id, reason: "Better on the new data" }),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(outcomes.find((o) => o.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
    expect(await championOf(stale.datasetId)).toBe(pending.challenger.modelId);
    const [approved] = await api.retraining.decisions({ datasetId: stale.datasetId });
    expect(approved).toMatchObject({
      outcome: "promoted",
      decidedBy: manager.email,
      reason: "Better on the new data",
    });
    const audit = await handle.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "retraining.challenger_approved"));
    expect(audit.some((a) => a.targetId === String(pending.challenger.modelId))).toBe(true);

    // A second scheduled run, rejected: the champion stays.
    const again = await api.retraining.runNow({ datasetId: stale.datasetId });
    await runUntilFinished(testRunner(handle.db, { functions }), handle.db, again.runId as number);
    const [second] = await api.retraining.decisions({ datasetId: stale.datasetId });
    expect(second.outcome).toBe("pending");
    await api.retraining.reject({ decisionId: second.id, reason: "Wait for the holiday data" });
    expect(await championOf(stale.datasetId)).toBe(pending.challenger.modelId);
    await expect(
      api.retraining.approve({ decisionId: second.id, reason: "changed my mind" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
  }, 300_000);

  it("a failed scheduled run shows a banner, is audited and calls the webhook, signed and retried", async () => {
    // The receiver listens on 127.0.0.1, which the SSRF guard refuses unless allowed.
    vi.stubEnv("CHURNGUARD_WEBHOOK_ALLOW_PRIVATE", "1");
    resetServerEnvCache();
    onTestFinished(() => {
      vi.unstubAllEnvs();
      resetServerEnvCache();
    });
    const received: { body: string; signature: string | undefined }[] = [];
    let answers = [500, 200];
    const server: Server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        received.push({ body, signature: req.headers["x-churnguard-signature"] as string | undefined });
        res.statusCode = answers.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const stale = await datasetWithStaleChampion("Failing", 71);
      const view = await updateSchedule(
        handle.db,
        actor,
        {
          datasetId: stale.datasetId,
          isEnabled: true,
          cron: "0 6 * * 1",
          timeZone: "Asia/Kolkata",
          policy: "automatic",
          metric: "auc",
          margin: 0.01,
          calibrationBound: 0.01,
          webhookUrl: `http://127.0.0.1:${port}/hook`,
        },
        { now: T0 },
      );
      expect(view.webhookSecret).toMatch(/^whsec_/);
      // Viewers never see the signing secret.
      expect(
        (await callerFor(handle.db, viewer).retraining.schedule({ datasetId: stale.datasetId }))
          .webhookSecret,
      ).toBeNull();

      const start = startOf(
        await runDueSchedules(handle.db, { now: new Date("2026-12-07T01:00:00Z") }),
        stale.datasetId,
      );
      expect(start.outcome).toBe("started");
      const failing = countingFunction(trainModels, (stepId) =>
        stepId === "validate"
          ? Promise.reject(new NonRetriableError("The file lost its Churn column"))
          : undefined,
      );
      const run = await runUntilFinished(
        testRunner(handle.db, { functions: [failing.fn, retrainingWebhook] }),
        handle.db,
        start.runId as number,
      );
      expect(run.status).toBe("failed");
      // The webhook: first answer 500, retried, then 200.
      const runner = testRunner(handle.db, { functions: [retrainingWebhook] });
      for (let i = 0; i < 5 && received.length < 2; i++) await runner.drain();
      expect(received).toHaveLength(2);
      const payload = JSON.parse(received[1].body);
      expect(payload).toMatchObject({
        event: "retraining.failed",
        datasetId: stale.datasetId,
        runId: run.id,
      });
      expect(payload.error).toMatch(/lost its Churn column/);
      const expected = `sha256=${createHmac("sha256", view.webhookSecret as string)
        .update(received[1].body)
        .digest("hex")}`;
      expect(received[1].signature).toBe(expected);

      const api = callerFor(handle.db, manager);
      const notices = await api.retraining.failureNotices();
      expect(notices).toEqual([
        expect.objectContaining({
          datasetId: stale.datasetId,
          runId: run.id,
          error: expect.stringMatching(/Churn column/),
        }),
      ]);
      const audit = await handle.db.select().from(auditLog).where(eq(auditLog.action, "retraining.failed"));
      expect(audit.some((a) => a.targetId === String(run.id))).toBe(true);
      await api.retraining.dismissFailure({ datasetId: stale.datasetId });
      expect(await api.retraining.failureNotices()).toEqual([]);
      // No decision for a failed run, and the champion is unchanged.
      expect(await handle.db.select().from(modelDecisions).where(eq(modelDecisions.runId, run.id))).toEqual(
        [],
      );
      expect(await championOf(stale.datasetId)).toBe(stale.championId);
      const [again] = await handle.db.select().from(trainingRuns).where(eq(trainingRuns.id, run.id));
      expect(again.status).toBe("failed");
    } finally {
      answers = [];
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 240_000);

  it("refuses a bad schedule with the field to fix, and shows admins every dataset", async () => {
    const api = callerFor(handle.db, manager);
    const dataset = await importDatasetFromFile(handle.db, actor, {
      bytes: new TextEncoder().encode(signalCsv(120, 81)),
      name: "Untrained",
      fileName: "untrained.csv",
    });
    await importDatasetFromFile(handle.db, actor, {
      bytes: new TextEncoder().encode(signalCsv(120, 82)),
      name: "Never scheduled",
      fileName: "never.csv",
    });
    const base = {
      datasetId: dataset.datasetId,
      isEnabled: true,
      cron: "0 6 * * 1",
      timeZone: "Europe/Berlin",
      policy: "manual" as const,
      metric: "auc" as const,
      margin: 0.01,
      calibrationBound: 0.01,
    };
    await expect(api.retraining.updateSchedule({ ...base, cron: "0 6 * *" })).rejects.toThrow(/5 fields/);
    await expect(api.retraining.updateSchedule({ ...base, timeZone: "__proto__" })).rejects.toThrow(
      /time zone/,
    );
    await expect(
      api.retraining.updateSchedule({ ...base, webhookUrl: "javascript:alert(1)" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    // The SSRF guard on save: the metadata service, by its address and by a decimal spelling of loopback.
    await expect(
      api.retraining.updateSchedule({ ...base, webhookUrl: "http://169.254.169.254/latest/meta-data/" }),
    ).rejects.toThrow(/169\.254\.169\.254: it is a link-local address/);
    await expect(
      api.retraining.updateSchedule({ ...base, webhookUrl: "https://2130706433/hook" }),
    ).rejects.toThrow(/127\.0\.0\.1: it is a loopback address/);
    const saved = await api.retraining.updateSchedule({ ...base, cron: " 0  6 1 * * " });
    expect(saved).toMatchObject({ cron: "0 6 1 * *", preset: "monthly", isEnabled: true });
    expect(saved.nextRuns).toHaveLength(3);
    const admin = (await createUser(handle.db, "admin")).user;
    const all = await callerFor(handle.db, admin).retraining.schedules();
    expect(all.find((s) => s.datasetName === "Untrained")).toMatchObject({
      isConfigured: true,
      isEnabled: true,
      description: "At 06:00, on day 1 of the month (Europe/Berlin)",
    });
    expect(all.find((s) => s.datasetName === "Never scheduled")).toMatchObject({
      isEnabled: false,
      isConfigured: false,
      nextRuns: [],
    });
    expect(all.every((s) => s.webhookSecret === null)).toBe(true);
  });
});
