/**
 * The Jobs page's operations against a real database and the real embedded runner: a failed job
 * retried runs to the end, a cancelled one is closed by its onFailure, nothing is left "running",
 * and a retry reopens the training run the job works on (or refuses when that would break the
 * one-active-run-per-dataset rule).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnyDurableFunction } from "@/jobs/define";
import { sendEvent } from "@/jobs/dispatch";
import { isJobCancelled } from "@/jobs/errors";
import { EmbeddedRunner } from "@/jobs/runner/runner";
import { NonRetriableError } from "@/jobs/types";
import type { DatabaseHandle } from "../../db/client";
import {
  auditLog,
  datasets,
  datasetVersions,
  jobSteps,
  jobs,
  models,
  scoreBatches,
  trainingRuns,
} from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import type { PublicUser } from "../users";

let sequence = 0;

/** One step that fails (non-retriably) while `state.failing`, and records how its job ended. */
function flakyFunction(state: { failing: boolean; ends: string[] }): AnyDurableFunction {
  sequence += 1;
  return {
    id: `jobs-page-fn-${sequence}`,
    event: `test/jobs-page-${sequence}`,
    parse: (data: unknown) => data as Record<string, never>,
    steps: () => [
      { id: "first", label: "First", run: async () => ({ ok: 1 }) },
      {
        id: "second",
        label: "Second",
        run: async () => {
          if (state.failing) throw new NonRetriableError("The upstream file is unreadable");
          return { ok: 2 };
        },
      },
    ],
    maxAttempts: 1,
    onFailure: async ({ error }) => {
      state.ends.push(isJobCancelled(error) ? "cancelled" : "failed");
    },
  };
}

describe.each(testDatabaseKinds())("Jobs page operations on %s", (kind) => {
  let handle: DatabaseHandle;
  let admin: PublicUser;
  let manager: PublicUser;

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    admin = (await createUser(handle.db, "admin")).user;
    manager = (await createUser(handle.db, "manager")).user;
  });
  afterAll(async () => {
    await handle?.close();
  });

  const runner = (fn: AnyDurableFunction) =>
    new EmbeddedRunner({
      db: handle.db,
      functions: [fn],
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
  const jobRow = async (id: string) => (await handle.db.select().from(jobs).where(eq(jobs.id, id)))[0];

  it("lists a failed job with its step, attempts and error, retries it and it runs to the end", async () => {
    const state = { failing: true, ends: [] as string[] };
    const fn = flakyFunction(state);
    const [jobId] = await sendEvent(handle.db, fn.event, {}, { functions: [fn] });
    await runner(fn).drain();
    expect(await jobRow(jobId)).toMatchObject({ status: "failed" });
    expect((await jobRow(jobId)).finishedAt).not.toBeNull();
    expect(state.ends).toEqual(["failed"]);

    const caller = callerFor(handle.db, admin);
    const listed = await caller.jobs.list({ status: "failed", functionId: fn.id });
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({
      id: jobId,
      status: "failed",
      stepsDone: 1,
      canRetry: true,
      canCancel: false,
    });
    expect(listed.items[0].error).toContain("The upstream file is unreadable");

    state.failing = false;
    expect(await caller.jobs.retry({ jobId })).toEqual({ id: jobId, status: "queued" });
    expect(await jobRow(jobId)).toMatchObject({
      status: "queued",
      attempts: 0,
      error: null,
      finishedAt: null,
    });
    await runner(fn).drain();
    expect(await jobRow(jobId)).toMatchObject({ status: "succeeded", error: null });
    const [entry] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "job.retried"), eq(auditLog.targetId, jobId)));
    expect(entry).toMatchObject({ actorId: admin.id, targetType: "job", targetId: jobId });
  });

  it("refuses to retry a job that did not fail, and lets only one of two simultaneous retries through", async () => {
    const state = { failing: true, ends: [] as string[] };
    const fn = flakyFunction(state);
    const [jobId] = await sendEvent(handle.db, fn.event, {}, { functions: [fn] });
    const caller = callerFor(handle.db, admin);
    await expect(caller.jobs.retry({ jobId })).rejects.toMatchObject({ code: "CONFLICT" });
    await runner(fn).drain();
    const outcomes = await Promise.allSettled([caller.jobs.retry({ jobId }), caller.jobs.retry({ jobId })]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(outcomes.find((o) => o.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
    await expect(caller.jobs.retry({ jobId: "job_does-not-exist" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("cancels a queued job: its clean-up runs and it never stays running", async () => {
    const state = { failing: false, ends: [] as string[] };
    const fn = flakyFunction(state);
    const [jobId] = await sendEvent(handle.db, fn.event, {}, { functions: [fn] });
    const caller = callerFor(handle.db, admin);
    expect(await caller.jobs.cancel({ jobId })).toEqual({ id: jobId, status: "cancelled" });
    await runner(fn).drain();
    const row = await jobRow(jobId);
    expect(row.status).toBe("cancelled");
    expect(row.finishedAt).not.toBeNull();
    expect(state.ends).toEqual(["cancelled"]);
    await expect(caller.jobs.cancel({ jobId })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(caller.jobs.retry({ jobId })).rejects.toMatchObject({ code: "CONFLICT" });
    const [entry] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "job.cancelled"), eq(auditLog.targetId, jobId)));
    expect(entry).toMatchObject({ actorId: admin.id, targetId: jobId });
  });

  it("pages newest first without repeating or skipping jobs created in the same instant", async () => {
    const at = new Date("2026-01-01T00:00:00.123Z");
    const functionId = `paging-${kind}`;
    await handle.db.insert(jobs).values(
      ["a", "b", "c"].map((x) => ({
        id: `job_page-${kind}-${x}`,
        functionId,
        event: { name: "test/paging", data: {} },
        status: "succeeded" as const,
        createdAt: at,
        finishedAt: at,
      })),
    );
    const caller = callerFor(handle.db, admin);
    const first = await caller.jobs.list({ functionId, limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await caller.jobs.list({ functionId, limit: 2, cursor: first.nextCursor });
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((j) => j.id).sort()).toEqual(
      ["a", "b", "c"].map((x) => `job_page-${kind}-${x}`),
    );
    expect(first.items[0]).toMatchObject({
      kind: functionId,
      currentStep: null,
      stepsTotal: null,
      canRetry: false,
    });
  });

  it("starts a failed batch scoring over from its first step (its clean-up removed the scored rows)", async () => {
    const [dataset] = await handle.db
      .insert(datasets)
      .values({ name: `jobs-batch-${kind}` })
      .returning();
    const [version] = await handle.db
      .insert(datasetVersions)
      .values({
        datasetId: dataset.id,
        version: 1,
        fileName: "a.csv",
        storageKey: "none",
        sizeBytes: 1,
        sha256: "x",
        rowCount: 1,
        columnCount: 1,
        schema: {},
        profile: {},
      })
      .returning();
    const [run] = await handle.db
      .insert(trainingRuns)
      .values({ datasetId: dataset.id, datasetVersionId: version.id, status: "succeeded", params: {} })
      .returning();
    const [model] = await handle.db
      .insert(models)
      .values({
        runId: run.id,
        datasetId: dataset.id,
        datasetVersionId: version.id,
        algorithm: "svm",
        version: 1,
        params: {},
        metrics: {},
        curves: {},
        importance: [],
        threshold: 0.5,
        cvAuc: 0.8,
        cvAucStd: 0,
        f1Churn: 0.5,
        f1Weighted: 0.5,
        brier: 0.2,
        fitSeconds: 1,
        artifactKey: "m",
        artifactSha256: "x",
      })
      .returning();
    const jobId = `job_batch-${kind}`;
    const [batch] = await handle.db
      .insert(scoreBatches)
      .values({
        datasetId: dataset.id,
        modelId: model.id,
        fileName: "b.csv",
        storageKey: "batches/b",
        sha256: "x",
        sizeBytes: 1,
        rowCount: 10,
        status: "failed",
        error: "Scoring failed: disk full",
        jobId,
        finishedAt: new Date(),
      })
      .returning();
    await handle.db.insert(jobs).values({
      id: jobId,
      functionId: "score-batch",
      event: { name: "churnguard/batch-scoring.requested", data: { batchId: batch.id } },
      status: "failed",
      error: "Step chunk-2: disk full",
      finishedAt: new Date(),
    });
    await handle.db.insert(jobSteps).values({ jobId, stepId: "load", result: { rows: 10 }, durationMs: 5 });

    await callerFor(handle.db, admin).jobs.retry({ jobId });
    expect(await handle.db.select().from(jobSteps).where(eq(jobSteps.jobId, jobId))).toEqual([]);
    const [reopened] = await handle.db.select().from(scoreBatches).where(eq(scoreBatches.id, batch.id));
    expect(reopened).toMatchObject({ status: "queued", error: null, finishedAt: null, rowsScored: 0 });
    expect(await jobRow(jobId)).toMatchObject({ status: "queued", error: null });
    await handle.db.update(jobs).set({ status: "failed", finishedAt: new Date() }).where(eq(jobs.id, jobId));
  });

  it("is for admins only", async () => {
    await expect(callerFor(handle.db, manager).jobs.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(handle.db, manager).jobs.retry({ jobId: "job_x" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("says which executor runs jobs", async () => {
    const overview = await callerFor(handle.db, admin).jobs.overview();
    expect(overview.executor).toBe("embedded");
    const rows = await handle.db.select({ status: jobs.status }).from(jobs);
    for (const status of ["queued", "running", "succeeded", "failed", "cancelled"] as const)
      expect(overview.counts[status]).toBe(rows.filter((r) => r.status === status).length);
  });

  it("reopens the failed training run on retry, and refuses while another run of the dataset is active", async () => {
    const [dataset] = await handle.db
      .insert(datasets)
      .values({ name: `jobs-retry-${kind}` })
      .returning();
    const [version] = await handle.db
      .insert(datasetVersions)
      .values({
        datasetId: dataset.id,
        version: 1,
        fileName: "a.csv",
        storageKey: "none",
        sizeBytes: 1,
        sha256: "x",
        rowCount: 1,
        columnCount: 1,
        schema: {},
        profile: {},
      })
      .returning();
    const jobId = `job_training-${kind}`;
    const [run] = await handle.db
      .insert(trainingRuns)
      .values({
        datasetId: dataset.id,
        datasetVersionId: version.id,
        status: "failed",
        params: {},
        error: "Worker crashed",
        jobId,
        finishedAt: new Date(),
      })
      .returning();
    await handle.db.insert(jobs).values({
      id: jobId,
      functionId: "train-models",
      event: { name: "churnguard/training.requested", data: { runId: run.id } },
      status: "failed",
      error: "Step evaluate: Worker crashed",
      finishedAt: new Date(),
    });
    const [other] = await handle.db
      .insert(trainingRuns)
      .values({ datasetId: dataset.id, datasetVersionId: version.id, status: "queued", params: {} })
      .returning();

    const caller = callerFor(handle.db, admin);
    await expect(caller.jobs.retry({ jobId })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(`Training run ${other.id}`),
    });
    expect(await jobRow(jobId)).toMatchObject({ status: "failed" });

    await handle.db.update(trainingRuns).set({ status: "cancelled" }).where(eq(trainingRuns.id, other.id));
    await caller.jobs.retry({ jobId });
    const [reopened] = await handle.db.select().from(trainingRuns).where(eq(trainingRuns.id, run.id));
    expect(reopened).toMatchObject({
      status: "queued",
      error: null,
      finishedAt: null,
      cancelRequested: false,
    });
    expect(await jobRow(jobId)).toMatchObject({ status: "queued", attempts: 0 });
    const listed = await caller.jobs.list({ functionId: "train-models" });
    expect(listed.items.find((j) => j.id === jobId)).toMatchObject({
      kind: "Training",
      subject: `Training run #${run.id}`,
      canCancel: true,
    });
    // Back to failed so no runner of another suite picks it up.
    await handle.db.update(jobs).set({ status: "failed", finishedAt: new Date() }).where(eq(jobs.id, jobId));
  });
});
