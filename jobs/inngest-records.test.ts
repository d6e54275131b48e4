/**
 * Under Inngest, Admin → Jobs is not empty: the adapter records each run in the jobs / job_steps
 * tables (status, finished steps, attempts, error, duration), through the same InngestTestEngine
 * pattern as inngest-adapter.test.ts but against a real database, read back by the Jobs service.
 */
import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/server/db/client";
import { jobSteps, jobs } from "@/server/db/schema";
import { listJobs } from "@/server/services/jobs";
import { createTestDatabase, testDatabaseKinds } from "@/server/testing/database";
import type { AnyDurableFunction } from "./define";
import { failureHandler, toInngestFunctions } from "./inngest-adapter";
import { INNGEST_WORKER } from "./inngest-records";
import { NonRetriableError } from "./types";

describe.each(testDatabaseKinds())("Inngest runs recorded for the Jobs page (%s)", (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  }, 60_000);
  afterAll(async () => {
    await handle?.close();
  });

  const cleanUps: string[] = [];
  function fnWith(id: string, failAt: string | null, error: () => Error): AnyDurableFunction {
    return {
      id,
      event: `test/${id}.requested`,
      parse: (data) => data as { n: number },
      steps: () =>
        ["load", "fit", "save"].map((stepId) => ({
          id: stepId,
          label: `Step ${stepId}`,
          run: async () => {
            if (stepId === failAt) throw error();
            await new Promise((resolve) => setTimeout(resolve, 5));
            return { stepId };
          },
        })),
      maxAttempts: 3,
      onFailure: async ({ jobId }) => void cleanUps.push(jobId),
    };
  }
  const adapted = (fn: AnyDurableFunction) =>
    toInngestFunctions(fn, { client: new Inngest({ id: "churnguard" }), getDb: async () => handle.db });
  const rowOf = async (jobId: string) => (await handle.db.select().from(jobs).where(eq(jobs.id, jobId)))[0];
  const stepsOf = async (jobId: string) =>
    (await handle.db.select().from(jobSteps).where(eq(jobSteps.jobId, jobId))).map((s) => s.stepId).sort();
  const itemOf = async (jobId: string) =>
    (await listJobs(handle.db, { limit: 100 })).items.find((item) => item.id === jobId);

  it("records a successful run: every step, succeeded, with its duration", async () => {
    const [main] = adapted(fnWith("ok-run", null, () => new Error("unused")));
    const { error } = await new InngestTestEngine({ function: main }).execute({
      events: [{ name: "test/ok-run.requested", data: { n: 1, _churnguardJobId: "job_ok" } }],
    });
    expect(error).toBeUndefined();
    const row = await rowOf("job_ok");
    expect(row).toMatchObject({
      functionId: "ok-run",
      status: "succeeded",
      attempts: 0,
      error: null,
      lockedBy: INNGEST_WORKER,
      event: { name: "test/ok-run.requested", data: { n: 1 } },
    });
    expect(row.finishedAt).toBeInstanceOf(Date);
    // An embedded runner on the same database never claims it.
    expect(row.lockedUntil?.getUTCFullYear()).toBe(9999);
    expect(await stepsOf("job_ok")).toEqual(["fit", "load", "save"]);
    const item = await itemOf("job_ok");
    expect(item).toMatchObject({ status: "succeeded", stepsDone: 3, error: null, attempts: 0 });
    expect(item?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("records a failing step waiting for Inngest's retry, with the step named in the error", async () => {
    const [main] = adapted(fnWith("flaky-run", "fit", () => new Error("network blip")));
    const { error } = await new InngestTestEngine({ function: main }).execute({
      events: [{ name: "test/flaky-run.requested", data: { n: 2, _churnguardJobId: "job_flaky" } }],
    });
    expect(error).toMatchObject({ message: "network blip" });
    expect(await rowOf("job_flaky")).toMatchObject({
      status: "queued",
      attempts: 1,
      error: 'Step "fit": network blip',
      finishedAt: null,
    });
    expect(await stepsOf("job_flaky")).toEqual(["load"]);
    expect(await itemOf("job_flaky")).toMatchObject({ isWaitingToRetry: true, stepsDone: 1 });
  });

  it("records a failure: failed and cleaning up until onFailure has run, then finished", async () => {
    const fn = fnWith("bad-data", "load", () => new NonRetriableError("Column 'Churn' has only one value"));
    const [main] = adapted(fn);
    const event = { name: "test/bad-data.requested", data: { n: 3, _churnguardJobId: "job_bad" } };
    await new InngestTestEngine({ function: main }).execute({ events: [event] });
    expect(await rowOf("job_bad")).toMatchObject({
      status: "failed",
      attempts: 1,
      error: "Step \"load\": Column 'Churn' has only one value",
      finishedAt: null,
    });
    expect(await itemOf("job_bad")).toMatchObject({ status: "failed", isCleaningUp: true });

    // Inngest then calls onFailure (the test engine does not: call the handler as Inngest would).
    await failureHandler(
      fn,
      async () => handle.db,
    )({
      event: { data: { event, run_id: "run_bad" } },
      error: new Error("Column 'Churn' has only one value"),
      runId: "run_failure",
    });
    expect(cleanUps).toContain("job_bad");
    const row = await rowOf("job_bad");
    expect(row).toMatchObject({
      status: "failed",
      error: "Step \"load\": Column 'Churn' has only one value",
    });
    expect(row.finishedAt).toBeInstanceOf(Date);
    // Retried in the Inngest dashboard, not here: the runner's retry would re-run it in-process.
    expect(await itemOf("job_bad")).toMatchObject({ isCleaningUp: false, canRetry: false, canCancel: false });
  });

  it("records a cancellation from Inngest's function.cancelled event", async () => {
    const fn = fnWith("slow-run", "save", () => new Error("interrupted"));
    const [main, onCancelled] = adapted(fn);
    const event = { name: "test/slow-run.requested", data: { n: 4, _churnguardJobId: "job_cancel" } };
    await new InngestTestEngine({ function: main }).execute({ events: [event] });
    const { error } = await new InngestTestEngine({ function: onCancelled }).execute({
      events: [
        {
          name: "inngest/function.cancelled",
          data: { function_id: "churnguard-slow-run", run_id: "run_c", event },
        },
      ],
    });
    expect(error).toBeUndefined();
    const row = await rowOf("job_cancel");
    expect(row).toMatchObject({ status: "cancelled", error: "Cancelled" });
    expect(row.finishedAt).toBeInstanceOf(Date);
    expect(cleanUps).toContain("job_cancel");
  });
});
