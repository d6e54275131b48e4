import { InngestTestEngine } from "@inngest/test";
import { Inngest } from "inngest";
import { describe, expect, it } from "vitest";
import type { Database } from "@/server/db/client";
import type { AnyDurableFunction } from "./define";
import { isJobCancelled, JobCancelledError } from "./errors";
import { failureHandler, toInngestFunctions } from "./inngest-adapter";
import type { Json } from "./types";
import { NonRetriableError } from "./types";

const fakeDb = {} as Database;
const getDb = async () => fakeDb;

/** getConfig is what `serve` sends Inngest at sync time (private in the SDK's types). */
type WithConfig = {
  getConfig(opts: { baseUrl: URL; appPrefix: string }): Array<{
    triggers: unknown;
    steps: { step: { retries: unknown } };
    cancel?: unknown;
  }>;
};
const configOf = (f: unknown) =>
  (f as WithConfig).getConfig({
    baseUrl: new URL("http://localhost/api/inngest"),
    appPrefix: "churnguard",
  })[0];

function adapted(fn: AnyDurableFunction) {
  return toInngestFunctions(fn, { client: new Inngest({ id: "churnguard" }), getDb, recordRuns: false });
}

function threeSteps(calls: { id: string; results: unknown; attempt: number; jobId: string }[]) {
  const fn: AnyDurableFunction = {
    id: "three-steps",
    event: "test/three.requested",
    parse: (data) => {
      const { n } = data as { n: number };
      if (typeof n !== "number") throw new Error("n must be a number");
      return { n };
    },
    steps: (data: { n: number }) =>
      ["load", "double", "report"].map((id, i) => ({
        id,
        label: id,
        run: async ({ results, attempt, jobId }) => {
          calls.push({ id, results: { ...results }, attempt, jobId });
          if (i === 0) return { n: data.n, loadedAt: "2030-01-01T00:00:00.000Z" } as Json;
          if (i === 1) return { doubled: (results.load as { n: number }).n * 2 } as Json;
          return `report of ${(results.double as { doubled: number }).doubled}` as Json;
        },
      })),
    maxAttempts: 3,
  };
  return fn;
}

describe("toInngestFunctions", () => {
  it("runs each step as step.run, in order, passing earlier results on", async () => {
    const calls: { id: string; results: unknown; attempt: number; jobId: string }[] = [];
    const [main] = adapted(threeSteps(calls));
    const t = new InngestTestEngine({ function: main });
    const { result, ctx, error } = await t.execute({
      events: [{ name: "test/three.requested", data: { n: 21, _churnguardJobId: "job_abc" } }],
    });
    expect(error).toBeUndefined();
    expect(result).toEqual({ jobId: "job_abc", steps: ["load", "double", "report"] });
    expect(calls.map((c) => c.id)).toEqual(["load", "double", "report"]);
    expect(calls[2].results).toEqual({
      load: { n: 21, loadedAt: "2030-01-01T00:00:00.000Z" },
      double: { doubled: 42 },
    });
    expect(calls.every((c) => c.jobId === "job_abc" && c.attempt === 1)).toBe(true);
    expect(ctx.step.run).toHaveBeenCalledTimes(3);
    expect(ctx.step.run).toHaveBeenNthCalledWith(1, "load", expect.any(Function));
  });

  it("configures retries, cancellation and the cron trigger from the DurableFunction", () => {
    const fn = { ...threeSteps([]), maxAttempts: 4, cron: "0 3 * * *", onFailure: async () => {} };
    const [main, onCancelled] = adapted(fn);
    const config = configOf(main);
    expect(config.triggers).toEqual([{ event: "test/three.requested" }, { cron: "0 3 * * *" }]);
    expect(config.steps.step.retries).toEqual({ attempts: 3 });
    expect(config.cancel).toEqual([
      { event: "churnguard/job.cancel-requested", if: "async.data.jobId == event.data._churnguardJobId" },
    ]);
    const cancelConfig = configOf(onCancelled);
    expect(cancelConfig.triggers).toEqual([
      {
        event: "inngest/function.cancelled",
        expression: "event.data.function_id == 'churnguard-three-steps'",
      },
    ]);
  });

  it("gives a cron-triggered run { scheduledFor } like the embedded runner does", async () => {
    const seen: unknown[] = [];
    const fn: AnyDurableFunction = {
      ...threeSteps([]),
      cron: "0 3 * * *",
      parse: (data) => data,
      steps: (data) => [{ id: "only", label: "only", run: async () => seen.push(data) }],
    };
    const [main] = adapted(fn);
    const ts = Date.parse("2030-05-01T03:00:00.000Z");
    await new InngestTestEngine({ function: main }).execute({
      events: [{ name: "inngest/scheduled.timer", data: { cron: "0 3 * * *" }, ts }],
    });
    expect(seen).toEqual([{ scheduledFor: "2030-05-01T03:00:00.000Z" }]);
  });

  it("maps our NonRetriableError to Inngest's, so Inngest does not retry it", async () => {
    const fn: AnyDurableFunction = {
      ...threeSteps([]),
      steps: () => [
        {
          id: "validate",
          label: "validate",
          run: async () => {
            throw new NonRetriableError("Column 'Churn' has only one value: Yes");
          },
        },
      ],
    };
    const [main] = adapted(fn);
    const { error } = await new InngestTestEngine({ function: main }).execute({
      events: [{ name: "test/three.requested", data: { n: 1 } }],
    });
    expect(error).toMatchObject({
      name: "NonRetriableError",
      message: "Column 'Churn' has only one value: Yes",
    });
  });

  it("leaves other errors retriable", async () => {
    const fn: AnyDurableFunction = {
      ...threeSteps([]),
      steps: () => [
        {
          id: "flaky",
          label: "flaky",
          run: async () => {
            throw new Error("network blip");
          },
        },
      ],
    };
    const [main] = adapted(fn);
    const { error } = await new InngestTestEngine({ function: main }).execute({
      events: [{ name: "test/three.requested", data: { n: 1 } }],
    });
    expect(error).toMatchObject({ name: "Error", message: "network blip" });
  });

  it("rejects a step result that JSON cannot hold, in Inngest as in the runner", async () => {
    const fn: AnyDurableFunction = {
      ...threeSteps([]),
      steps: () => [
        { id: "features", label: "f", run: async () => ({ x: new Float64Array(3) }) as unknown as Json },
      ],
    };
    const [main] = adapted(fn);
    const { error } = await new InngestTestEngine({ function: main }).execute({
      events: [{ name: "test/three.requested", data: { n: 1 } }],
    });
    expect(error).toMatchObject({ name: "NonRetriableError" });
    expect(String((error as { message?: string }).message)).toMatch(/Float64Array at result\.x.*Array\.from/);
  });

  it("calls onFailure with the decoded data and job id when the run fails", async () => {
    const failures: { data: unknown; error: Error; jobId: string; db: Database }[] = [];
    const fn = {
      ...threeSteps([]),
      onFailure: async (ctx: (typeof failures)[number]) => void failures.push(ctx),
    };
    await failureHandler(
      fn,
      getDb,
      false,
    )({
      event: {
        data: {
          event: { name: "test/three.requested", data: { n: 3, _churnguardJobId: "job_1" } },
          run_id: "run_1",
        },
      },
      error: new Error("boom"),
      runId: "run_failure_handler",
    });
    expect(failures).toEqual([{ data: { n: 3 }, error: new Error("boom"), jobId: "job_1", db: fakeDb }]);
  });

  it("calls onFailure with a JobCancelledError when Inngest cancels the run", async () => {
    const failures: { data: unknown; error: Error; jobId: string }[] = [];
    const fn = {
      ...threeSteps([]),
      onFailure: async (ctx: (typeof failures)[number]) => void failures.push(ctx),
    };
    const [, onCancelled] = adapted(fn);
    const { error } = await new InngestTestEngine({ function: onCancelled }).execute({
      events: [
        {
          name: "inngest/function.cancelled",
          data: {
            function_id: "churnguard-three-steps",
            run_id: "run_9",
            error: { name: "Error", message: "function cancelled" },
            event: { name: "test/three.requested", data: { n: 9, _churnguardJobId: "job_9" } },
          },
        },
      ],
    });
    expect(error).toBeUndefined();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ data: { n: 9 }, jobId: "job_9" });
    expect(isJobCancelled(failures[0].error)).toBe(true);
    expect(failures[0].error).toBeInstanceOf(JobCancelledError);
  });
});
