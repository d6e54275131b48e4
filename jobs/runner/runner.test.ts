import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/server/db/client";
import { jobSteps, jobs } from "@/server/db/schema";
import { resetServerEnvCache } from "@/server/env";
import { createTestDatabase, testDatabaseKinds } from "@/server/testing/database";
import type { AnyDurableFunction } from "../define";
import { cancelJob, sendEvent } from "../dispatch";
import { isJobCancelled } from "../errors";
import { pruneJobs } from "../functions/prune-jobs";
import type { DurableStep, Json, StepContext } from "../types";
import { NonRetriableError } from "../types";
import { EmbeddedRunner, type EmbeddedRunnerOptions } from "./runner";
import { getJob } from "./store";

type Data = { n: number };
let sequence = 0;

/** A function with unique id/event (so tests sharing a database never claim each other's jobs). */
function makeFunction(
  steps: Array<(ctx: StepContext<Data>) => Promise<Json> | Json>,
  extra: Partial<AnyDurableFunction> = {},
): AnyDurableFunction & { failures: { error: Error; jobId: string }[] } {
  sequence += 1;
  const failures: { error: Error; jobId: string }[] = [];
  return {
    id: `test-fn-${sequence}`,
    event: `test/event-${sequence}`,
    parse: (data: unknown) => {
      const n = (data as { n?: unknown }).n;
      if (typeof n !== "number") throw new Error("n must be a number");
      return { n };
    },
    steps: (): DurableStep<Data>[] =>
      steps.map((run, i) => ({ id: `step-${i + 1}`, label: `Step ${i + 1}`, run: async (ctx) => run(ctx) })),
    maxAttempts: 3,
    onFailure: async ({ error, jobId }) => {
      failures.push({ error, jobId });
    },
    failures,
    ...extra,
  };
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const logger = { info: () => {}, warn: () => {}, error: (m: string, e?: unknown) => console.error(m, e) };
const silent = { info: () => {}, warn: () => {}, error: () => {} };

describe.each(testDatabaseKinds())("embedded runner on %s", (kind) => {
  let handle: DatabaseHandle;
  // The runner's clock: real time plus an offset the tests move forward (never backward, so rows
  // stamped with the real time by sendEvent stay in the clock's past).
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const advance = (ms: number) => {
    offsetMs += ms;
  };

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  function runner(functions: AnyDurableFunction[], options: Partial<EmbeddedRunnerOptions> = {}) {
    return new EmbeddedRunner({
      db: handle.db,
      functions,
      now: clock,
      backoffMs: (attempt) => 1000 * 2 ** (attempt - 1),
      logger: { ...logger, warn: () => {} },
      ...options,
    });
  }
  const enqueue = async (fn: AnyDurableFunction, data: Record<string, unknown> = { n: 1 }) => {
    const [id] = await sendEvent(handle.db, fn.event, data, { functions: [fn] });
    return id;
  };
  const jobRow = async (id: string) => (await handle.db.select().from(jobs).where(eq(jobs.id, id)))[0];

  it("runs a three-step function to completion, each step getting earlier results as stored JSON", async () => {
    const seen: Record<string, unknown>[] = [];
    const fn = makeFunction([
      () =>
        ({
          zeta: 1,
          alpha: [1, Number.NaN, 3],
          nested: { dropped: undefined, kept: "x" },
        }) as unknown as Json,
      ({ results, data }) => {
        seen.push({ ...results });
        return { sum: data.n + 41 };
      },
      ({ results }) => {
        seen.push({ ...results });
        expect(Object.isFrozen(results["step-1"])).toBe(true);
        return null;
      },
    ]);
    const id = await enqueue(fn);
    expect(await runner([fn]).drain()).toBe(1);

    const stored = { alpha: [1, null, 3], nested: { kept: "x" }, zeta: 1 };
    expect(seen[0]).toEqual({ "step-1": stored });
    expect(seen[1]).toEqual({ "step-1": stored, "step-2": { sum: 42 } });
    const job = await getJob(handle.db, id);
    expect(job).toMatchObject({ status: "succeeded", attempts: 0, error: null });
    expect(job?.finishedAt).toBeInstanceOf(Date);
    expect(job?.steps.map((s) => s.stepId).sort()).toEqual(["step-1", "step-2", "step-3"]);
    const rows = await handle.db.select().from(jobSteps).where(eq(jobSteps.jobId, id));
    expect(rows.find((r) => r.stepId === "step-1")?.result).toEqual(stored);
    expect((await jobRow(id)).lockedBy).toBeNull();
  });

  it("fails at once, without retries, when a step returns something JSON cannot hold (a Date)", async () => {
    let calls = 0;
    const fn = makeFunction([
      () => {
        calls += 1;
        return { at: new Date() } as unknown as Json;
      },
    ]);
    const id = await enqueue(fn);
    await runner([fn]).drain();
    expect(calls).toBe(1);
    expect((await jobRow(id)).status).toBe("failed");
    expect(fn.failures[0].error.message).toMatch(/contains a Date at result\.at.*toISOString/);
  });

  it("retries a failing step with exponential backoff and then succeeds, without redoing earlier steps", async () => {
    const calls = { first: 0, flaky: [] as number[] };
    const fn = makeFunction([
      () => {
        calls.first += 1;
        return 1;
      },
      ({ attempt }) => {
        calls.flaky.push(attempt);
        if (attempt < 3) throw new Error(`flaky ${attempt}`);
        return "ok";
      },
    ]);
    const id = await enqueue(fn);
    const r = runner([fn]);

    let before = clock().getTime();
    await r.drain();
    let row = await jobRow(id);
    expect(row).toMatchObject({ status: "queued", attempts: 1, lockedBy: null });
    expect(row.error).toContain("flaky 1");
    expect(row.runAfter.getTime() - before).toBeGreaterThanOrEqual(1000);
    expect(row.runAfter.getTime() - clock().getTime()).toBeLessThanOrEqual(1000);

    expect(await r.drain()).toBe(0); // not due yet
    advance(1000);
    before = clock().getTime();
    await r.drain();
    row = await jobRow(id);
    expect(row).toMatchObject({ status: "queued", attempts: 2 });
    expect(row.runAfter.getTime() - before).toBeGreaterThanOrEqual(2000); // doubled
    expect(row.runAfter.getTime() - clock().getTime()).toBeLessThanOrEqual(2000);

    advance(2000);
    await r.drain();
    expect((await jobRow(id)).status).toBe("succeeded");
    expect(calls).toEqual({ first: 1, flaky: [1, 2, 3] });
    expect(fn.failures).toHaveLength(0);
  });

  it("fails the job after maxAttempts failures and calls onFailure once", async () => {
    let lastCalls = 0;
    const fn = makeFunction([
      () => 1,
      () => {
        throw new Error("always broken");
      },
      () => {
        lastCalls += 1;
        return 3;
      },
    ]);
    const id = await enqueue(fn);
    const r = runner([fn], { backoffMs: () => 0 });
    await r.drain();
    const row = await jobRow(id);
    expect(row.status).toBe("failed");
    expect(row.error).toBe('Step "step-2" failed after 3 attempts: always broken');
    expect(row.finishedAt).toBeInstanceOf(Date);
    expect(lastCalls).toBe(0);
    expect(fn.failures).toHaveLength(1);
    expect(fn.failures[0]).toMatchObject({ jobId: id });
    expect(fn.failures[0].error.message).toBe("always broken");
    expect(await r.drain()).toBe(0);
  });

  it("does not retry a NonRetriableError", async () => {
    let calls = 0;
    const fn = makeFunction([
      () => {
        calls += 1;
        throw new NonRetriableError("Column 'Churn' has only one value: Yes");
      },
    ]);
    const id = await enqueue(fn);
    await runner([fn]).drain();
    expect(calls).toBe(1);
    expect((await jobRow(id)).status).toBe("failed");
    expect(fn.failures[0].error.message).toBe("Column 'Churn' has only one value: Yes");
  });

  it("resumes a job interrupted in step 3 at step 3, without re-running steps 1 and 2", async () => {
    const calls = [0, 0, 0];
    const inStep3 = deferred();
    const fn = makeFunction([
      () => {
        calls[0] += 1;
        return { rows: 7043 };
      },
      ({ results }) => {
        calls[1] += 1;
        return { seenRows: (results["step-1"] as { rows: number }).rows };
      },
      async ({ results, attempt }) => {
        calls[2] += 1;
        if (attempt === 1) {
          inStep3.resolve();
          await new Promise(() => {}); // the "process" dies here
        }
        return { fromStep2: results["step-2"] };
      },
    ]);
    const id = await enqueue(fn);
    const first = runner([fn], { workerId: "worker-a", leaseMs: 60_000 });
    const draining = first.drain();
    await inStep3.promise;
    first.kill();
    await draining;

    const interrupted = await jobRow(id);
    expect(interrupted).toMatchObject({ status: "running", lockedBy: "worker-a", attempts: 1 });
    expect((await getJob(handle.db, id))?.steps).toHaveLength(2);

    const second = runner([fn], { workerId: "worker-b", leaseMs: 60_000 });
    expect(await second.drain()).toBe(0); // the lease has not expired: worker-a might still be alive
    advance(60_001);
    expect(await second.drain()).toBe(1);

    expect(calls).toEqual([1, 1, 2]);
    const job = await getJob(handle.db, id);
    expect(job?.status).toBe("succeeded");
    const rows = await handle.db.select().from(jobSteps).where(eq(jobSteps.jobId, id));
    expect(rows.find((r) => r.stepId === "step-3")?.result).toEqual({ fromStep2: { seenRows: 7043 } });
  });

  it("on an exclusive database resumes at once after a restart, without waiting for the lease", async () => {
    const calls = [0, 0];
    const inStep2 = deferred();
    const fn = makeFunction([
      () => {
        calls[0] += 1;
        return 1;
      },
      async ({ attempt }) => {
        calls[1] += 1;
        if (attempt === 1) {
          inStep2.resolve();
          await new Promise(() => {});
        }
        return 2;
      },
    ]);
    const id = await enqueue(fn);
    const first = runner([fn]);
    const draining = first.drain();
    await inStep2.promise;
    first.kill();
    await draining;

    const restarted = runner([fn], { exclusive: true, pollIntervalMs: 20 });
    restarted.start();
    await vi.waitFor(async () => expect((await jobRow(id)).status).toBe("succeeded"), { timeout: 5000 });
    await restarted.stop();
    expect(calls).toEqual([1, 2]);
  });

  it("fails a job whose step keeps killing its worker once maxAttempts is used up", async () => {
    let calls = 0;
    let entered = deferred();
    const fn = makeFunction([
      async () => {
        calls += 1;
        entered.resolve();
        await new Promise(() => {});
        return null;
      },
    ]);
    const id = await enqueue(fn);
    for (let i = 0; i < 3; i++) {
      entered = deferred();
      const r = runner([fn], { leaseMs: 1000 });
      const draining = r.drain();
      await entered.promise;
      r.kill();
      await draining;
      advance(1001);
    }
    expect(await runner([fn]).drain()).toBe(1);
    expect(calls).toBe(3);
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: "failed", lockedBy: null });
    expect(row.error).toContain("interrupted 3 times");
    expect(fn.failures).toHaveLength(1);
  });

  it("renews the lease while a long step runs, so no other worker takes the job", async () => {
    const realClock = { now: () => new Date() };
    const fn = makeFunction([
      async () => {
        await new Promise((r) => setTimeout(r, 700));
        return "slow";
      },
    ]);
    const id = await enqueue(fn);
    const a = runner([fn], { ...realClock, leaseMs: 300, workerId: "renewing" });
    const running = a.drain();
    await new Promise((r) => setTimeout(r, 450)); // past the first lease
    expect(await runner([fn], { ...realClock, workerId: "thief" }).drain()).toBe(0);
    await running;
    expect((await jobRow(id)).status).toBe("succeeded");
  });

  it("abandons a step that exceeds stepTimeoutMs and counts it as a failed attempt", async () => {
    let calls = 0;
    const fn = makeFunction([
      async () => {
        calls += 1;
        if (calls === 1) await new Promise(() => {});
        return "second try";
      },
    ]);
    const id = await enqueue(fn);
    const r = runner([fn], { stepTimeoutMs: 50, backoffMs: () => 0 });
    await r.drain();
    expect(calls).toBe(2);
    expect((await jobRow(id)).status).toBe("succeeded");
  });

  it("cancels a running job: the current step finishes, no further step runs, onFailure hears of it", async () => {
    const release = deferred();
    const inStep2 = deferred();
    let step3Calls = 0;
    const fn = makeFunction([
      () => 1,
      async () => {
        inStep2.resolve();
        await release.promise;
        return 2;
      },
      () => {
        step3Calls += 1;
        return 3;
      },
    ]);
    const id = await enqueue(fn);
    const draining = runner([fn]).drain();
    await inStep2.promise;
    expect(await cancelJob(handle.db, id)).toBe(true);
    release.resolve();
    await draining;

    expect(step3Calls).toBe(0);
    const job = await getJob(handle.db, id);
    expect(job?.status).toBe("cancelled");
    expect(job?.finishedAt).toBeInstanceOf(Date);
    expect(job?.steps.map((s) => s.stepId).sort()).toEqual(["step-1", "step-2"]);
    expect(fn.failures).toHaveLength(1);
    expect(isJobCancelled(fn.failures[0].error)).toBe(true);
    expect(await cancelJob(handle.db, id)).toBe(false); // already over
  });

  it("cancels a queued job before it starts and still calls onFailure", async () => {
    let calls = 0;
    const fn = makeFunction([
      () => {
        calls += 1;
        return 1;
      },
    ]);
    const id = await enqueue(fn);
    expect(await cancelJob(handle.db, id)).toBe(true);
    await runner([fn]).drain();
    expect(calls).toBe(0);
    expect((await jobRow(id)).status).toBe("cancelled");
    expect(isJobCancelled(fn.failures[0].error)).toBe(true);
    expect(await cancelJob(handle.db, "job_unknown")).toBe(false);
  });

  it("retries onFailure when it throws, so a failed run is always cleaned up", async () => {
    let hookCalls = 0;
    const fn = makeFunction(
      [
        () => {
          throw new NonRetriableError("bad input");
        },
      ],
      {
        onFailure: async () => {
          hookCalls += 1;
          if (hookCalls === 1) throw new Error("database hiccup");
        },
      },
    );
    const id = await enqueue(fn);
    const r = runner([fn], { backoffMs: () => 0, logger: silent });
    await r.drain();
    expect(hookCalls).toBe(2);
    const row = await jobRow(id);
    expect(row.status).toBe("failed");
    expect(row.finishedAt).toBeInstanceOf(Date);
  });

  it("lets two runners on one database share the work, each job running exactly once", async () => {
    const runs = new Map<number, number>();
    const fn = makeFunction([
      async ({ data }) => {
        runs.set(data.n, (runs.get(data.n) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 5));
        return data.n;
      },
    ]);
    for (let n = 0; n < 8; n++) await enqueue(fn, { n });
    const [a, b] = await Promise.all([
      runner([fn], { workerId: "a" }).drain(),
      runner([fn], { workerId: "b" }).drain(),
    ]);
    expect(a + b).toBe(8);
    expect([...runs.values()]).toEqual(Array(8).fill(1));
  });

  it("enqueues a cron function on schedule, once per slot even with two runners", async () => {
    const hour = 3600_000;
    advance(Math.ceil(clock().getTime() / hour) * hour + 60_000 - clock().getTime()); // next hh:01
    const ran: unknown[] = [];
    const fn = makeFunction([], {
      cron: "*/5 * * * *",
      parse: (data: unknown) => data as Data,
      steps: () => [{ id: "tick", label: "Tick", run: async ({ data }) => ran.push(data) }],
    });
    const a = runner([fn]);
    const b = runner([fn]);
    advance(3 * 60_000); // hh:04
    expect(await a.enqueueDueCronJobs()).toEqual([]);
    advance(2 * 60_000 + 5_000); // hh:06:05
    const slot = new Date(Math.floor(clock().getTime() / 300_000) * 300_000).toISOString(); // hh:05
    expect(await a.enqueueDueCronJobs()).toEqual([`cron:${fn.id}:${slot}`]);
    expect(await b.enqueueDueCronJobs()).toEqual([]); // same slot: already there
    await a.drain();
    expect(ran).toEqual([{ scheduledFor: slot }]);
  });

  it("wakes a started runner at once when a job is enqueued (no wait for the poll)", async () => {
    const fn = makeFunction([() => "done"]);
    const r = runner([fn], { now: () => new Date(), pollIntervalMs: 60_000 });
    r.start();
    await new Promise((res) => setTimeout(res, 50)); // let the loop go to sleep
    const started = performance.now();
    const id = await enqueue(fn);
    await vi.waitFor(async () => expect((await jobRow(id)).status).toBe("succeeded"), {
      timeout: 2000,
      interval: 5,
    });
    expect(performance.now() - started).toBeLessThan(1000);
    await r.stop();
    expect(r.isRunning).toBe(false);
  });

  it("runs another function's job beside a long one, but never two jobs of one function at once", async () => {
    const events: string[] = [];
    const release = deferred();
    const slow = makeFunction([
      async ({ data }) => {
        events.push(`slow ${data.n} started`);
        if (data.n === 1) await release.promise;
        events.push(`slow ${data.n} done`);
        return null;
      },
    ]);
    const quick = makeFunction([
      () => {
        events.push("quick done");
        return null;
      },
    ]);
    const r = runner([slow, quick], { now: () => new Date(), pollIntervalMs: 20 });
    const first = await enqueue(slow, { n: 1 });
    const second = await enqueue(slow, { n: 2 });
    const other = await enqueue(quick);
    r.start();
    try {
      await vi.waitFor(() => expect(events).toContain("slow 1 started"), { timeout: 5000 });
      await vi.waitFor(async () => expect((await jobRow(other)).status).toBe("succeeded"), { timeout: 5000 });
      // The quick job did not wait for the long one; the second job of that function did.
      expect((await jobRow(first)).status).toBe("running");
      expect((await jobRow(second)).status).toBe("queued");
      release.resolve();
      await vi.waitFor(async () => expect((await jobRow(second)).status).toBe("succeeded"), {
        timeout: 5000,
      });
      // (The quick job may finish before or after the long one starts: both were due at once.)
      expect(events.filter((e) => e.startsWith("slow"))).toEqual([
        "slow 1 started",
        "slow 1 done",
        "slow 2 started",
        "slow 2 done",
      ]);
      expect(events.indexOf("quick done")).toBeLessThan(events.indexOf("slow 1 done"));
    } finally {
      release.resolve();
      await r.stop();
    }
  });

  it("prunes finished jobs older than 30 days through the registered prune-jobs function", async () => {
    const old = new Date(Date.now() - 40 * 24 * 3600_000);
    await handle.db.insert(jobs).values([
      {
        id: "old-done",
        functionId: "gone",
        event: { name: "x", data: {} },
        status: "succeeded",
        finishedAt: old,
      },
      {
        id: "old-queued",
        functionId: "gone",
        event: { name: "x", data: {} },
        status: "queued",
        runAfter: old,
      },
    ]);
    const [id] = await sendEvent(handle.db, pruneJobs.event, {}); // the registry routes it
    await runner([pruneJobs]).drain();
    const steps = await handle.db.select().from(jobSteps).where(eq(jobSteps.jobId, id));
    expect(steps[0].result).toEqual({ deleted: 1 });
    expect(await jobRow("old-done")).toBeUndefined();
    expect(await jobRow("old-queued")).toBeDefined();
  });

  it("validates event data when it is sent, not later in the job", async () => {
    const fn = makeFunction([() => 1]);
    await expect(sendEvent(handle.db, fn.event, { n: "x" }, { functions: [fn] })).rejects.toThrow(
      "n must be a number",
    );
    await expect(
      sendEvent(handle.db, fn.event, { n: 1, at: new Date() }, { functions: [fn] }),
    ).rejects.toThrow(/Date at data\.at/);
    expect(await sendEvent(handle.db, "test/nobody-listens", { n: 1 }, { functions: [fn] })).toEqual([]);
  });

  it("sends the event to Inngest instead when Inngest is configured", async () => {
    const { getInngest } = await import("../client");
    const send = vi.spyOn(getInngest(), "send").mockResolvedValue({ ids: ["evt_1"] } as never);
    vi.stubEnv("INNGEST_DEV", "1");
    resetServerEnvCache();
    try {
      const fn = makeFunction([() => 1]);
      const ids = await sendEvent(handle.db, fn.event, { n: 5 }, { functions: [fn] });
      expect(ids).toHaveLength(1);
      expect(send).toHaveBeenCalledWith({ name: fn.event, data: { n: 5, _churnguardJobId: ids[0] } });
      expect(await handle.db.select().from(jobs).where(eq(jobs.id, ids[0]))).toHaveLength(0);
      expect(await cancelJob(handle.db, ids[0])).toBe(true);
      expect(send).toHaveBeenLastCalledWith({
        name: "churnguard/job.cancel-requested",
        data: { jobId: ids[0] },
      });
    } finally {
      vi.unstubAllEnvs();
      resetServerEnvCache();
      send.mockRestore();
    }
  });
});
