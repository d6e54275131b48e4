import { afterAll, describe, expect, it } from "vitest";
import { inferSchema } from "@/lib/ml/data";
import { syntheticChurnTable } from "@/lib/ml/evaluate/synthetic-churn-table";
import { createRng } from "@/lib/ml/random";
import { type ComputeTable, runComputeTask, type TrainInput } from "./compute";
import { ComputePool, ComputeTaskDiscardedError, defaultPoolSize } from "./compute-pool";
import { ComputeBudgetExceededError, ComputeCancelledError } from "./interrupt";

const synthetic = syntheticChurnTable(400, 3);
const table: ComputeTable = {
  schema: inferSchema({ columns: synthetic.columns, rows: synthetic.rows }),
  columns: synthetic.columns,
  rows: synthetic.rows,
};
const split = { seed: 5, testFraction: 0.25 };
const trainInput = (algorithm: TrainInput["algorithm"]): TrainInput => ({
  algorithm,
  seed: 5,
  testFraction: 0.25,
  folds: 3,
  balancing: "none",
  trainedAt: "2026-01-01T00:00:00.000Z",
});

/** The parts of a training result that do not depend on wall time. */
function comparable(output: ReturnType<typeof runComputeTask<"train">>) {
  const { fitSeconds: _f, ...cv } = output.cv;
  const model = JSON.parse(output.modelJson) as { classifier: unknown; threshold: number };
  return { cv, test: output.test, threshold: output.threshold, classifier: model.classifier };
}

describe("training compute pool", () => {
  // Real worker threads (vitest runs TypeScript, so the worker registers tsx itself).
  const pool = new ComputePool({ size: 2 });
  afterAll(() => pool.close());

  it("trains on worker threads with exactly the in-process results", async () => {
    const inProcess = runComputeTask("train", { table, split }, trainInput("logistic_regression"));
    const [onWorker, forest] = await Promise.all([
      pool.run({ task: "train", table, split, input: trainInput("logistic_regression") }),
      pool.run({ task: "train", table, split, input: trainInput("random_forest") }),
    ]);
    expect(pool.mode).toBe("workers");
    expect(comparable(onWorker)).toEqual(comparable(inProcess));
    expect(forest.algorithm).toBe("random_forest");

    // The table is already on the workers: importance of the stored model, same as in-process.
    const importance = await pool.run({
      task: "importance",
      table,
      split,
      input: { modelJson: onWorker.modelJson, seed: 5 },
    });
    expect(importance).toEqual(
      runComputeTask("importance", { table, split }, { modelJson: onWorker.modelJson, seed: 5 }),
    );
    expect(importance.importance.length).toBeGreaterThan(0);
  }, 120_000);

  it("reports a task's error and keeps working", async () => {
    await expect(
      pool.run({ task: "importance", table, split, input: { modelJson: "{not json", seed: 1 } }),
    ).rejects.toThrow(/JSON/);
    const after = await pool.run({ task: "train", table, split, input: trainInput("logistic_regression") });
    expect(after.cv.cvAuc).toBeGreaterThan(0.6);
  }, 120_000);

  it("drops queued tasks of a discarded run without touching the others", async () => {
    const busy = [1, 2].map(() =>
      pool.run({ task: "train", table, split, input: trainInput("logistic_regression"), tag: "run-1" }),
    );
    const queued = pool.run({ task: "train", table, split, input: trainInput("svm"), tag: "run-1" });
    const other = pool.run({ task: "train", table, split, input: trainInput("svm"), tag: "run-2" });
    expect(pool.discardQueued("run-1")).toBe(1);
    await expect(queued).rejects.toBeInstanceOf(ComputeTaskDiscardedError);
    // Tasks already running finish.
    for (const result of await Promise.all(busy)) expect(result.algorithm).toBe("logistic_regression");
    expect((await other).algorithm).toBe("svm");
  }, 120_000);
});

/**
 * A table whose logistic regression runs for minutes: 39 columns of 50 values are 1,950 one-hot
 * inputs, and every Newton step factorises a 1,951² Hessian (the wide-file case, just under the
 * upload limits).
 */
function slowTable(): ComputeTable {
  const rng = createRng(1);
  const columns = [...Array.from({ length: 39 }, (_, j) => `c${j}`), "Churn"];
  const rows = Array.from({ length: 3000 }, () => [
    ...Array.from({ length: 39 }, () => `v${rng.int(50)}`),
    rng.next() < 0.3 ? "Yes" : "No",
  ]);
  return { schema: inferSchema({ columns, rows }), columns, rows };
}

describe("stopping computations", () => {
  const pool = new ComputePool({ size: 1 });
  const slow = slowTable();
  afterAll(() => pool.close());

  async function untilRunning(tag: string) {
    while (!pool.isRunning(tag)) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  it("stops a task computing on a worker when its run is interrupted, keeping the worker", async () => {
    const task = pool.run({
      task: "train",
      table: slow,
      split,
      input: trainInput("logistic_regression"),
      tag: "run-7",
    });
    const queued = pool.run({ task: "train", table, split, input: trainInput("svm"), tag: "run-7" });
    queued.catch(() => {}); // rejected as soon as interrupt() runs, awaited below
    await untilRunning("run-7");
    expect(pool.interrupt("run-7")).toBe(2);
    await expect(task).rejects.toMatchObject({ name: "ComputeCancelledError" });
    await expect(queued).rejects.toBeInstanceOf(ComputeCancelledError);
    // Stopped by its own check (lib/ml's checkInterrupt), not by terminating the thread.
    expect(pool.workerCount).toBe(1);
    const after = await pool.run({ task: "train", table, split, input: trainInput("logistic_regression") });
    expect(after.algorithm).toBe("logistic_regression");
  }, 120_000);

  it("stops a task past its time budget with ComputeBudgetExceededError", async () => {
    const task = pool.run({
      task: "train",
      table: slow,
      split,
      input: trainInput("logistic_regression"),
      budgetMs: 500,
    });
    await expect(task).rejects.toMatchObject({
      name: "ComputeBudgetExceededError",
      message: "The computation took longer than 1 second and was stopped",
    });
    expect(pool.workerCount).toBe(1);
  }, 120_000);

  it("stops an in-process task past its budget too", async () => {
    const here = new ComputePool({ size: 0 });
    await expect(
      here.run({
        task: "train",
        table: slow,
        split,
        input: trainInput("logistic_regression"),
        budgetMs: 200,
      }),
    ).rejects.toBeInstanceOf(ComputeBudgetExceededError);
  }, 120_000);
});

describe("defaultPoolSize", () => {
  it("follows TRAINING_WORKER_THREADS, is off under vitest, and at most 2 otherwise", () => {
    expect(defaultPoolSize({ TRAINING_WORKER_THREADS: "0" })).toBe(0);
    expect(defaultPoolSize({ TRAINING_WORKER_THREADS: "3", VITEST: "true" })).toBe(3);
    expect(defaultPoolSize({ TRAINING_WORKER_THREADS: "lots" })).toBe(0);
    expect(defaultPoolSize({ VITEST: "true" })).toBe(0);
    const size = defaultPoolSize({});
    expect(size).toBeGreaterThanOrEqual(1);
    expect(size).toBeLessThanOrEqual(2);
  });

  it("is 0 on AWS Lambda whatever TRAINING_WORKER_THREADS says (workers need tsx, absent there)", () => {
    expect(defaultPoolSize({ AWS_LAMBDA_FUNCTION_NAME: "churnguard-inngest" })).toBe(0);
    expect(defaultPoolSize({ AWS_LAMBDA_FUNCTION_NAME: "fn", TRAINING_WORKER_THREADS: "2" })).toBe(0);
  });

  it("runs every task in-process with size 0", async () => {
    const pool = new ComputePool({ size: 0 });
    expect(pool.mode).toBe("in-process");
    const out = await pool.run({ task: "train", table, split, input: trainInput("logistic_regression") });
    expect(out.cv.cvAuc).toBeGreaterThan(0.6);
  }, 60_000);
});
