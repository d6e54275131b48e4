/**
 * The score step explains customers in chunks, spread over the worker threads: the scores and
 * drivers must be exactly those of explaining every customer in one go on this thread.
 */
import { afterAll, describe, expect, it } from "vitest";
import { inferSchema } from "@/lib/ml/data";
import { syntheticChurnTable } from "@/lib/ml/evaluate/synthetic-churn-table";
import { type ComputeTable, runComputeTask, type ScoreOutput, type TrainInput } from "./compute";
import { ComputePool } from "./compute-pool";

const synthetic = syntheticChurnTable(600, 11);
const table: ComputeTable = {
  schema: inferSchema({ columns: synthetic.columns, rows: synthetic.rows }),
  columns: synthetic.columns,
  rows: synthetic.rows,
};
const split = { seed: 3, testFraction: 0.25 };
const trainInput = (algorithm: TrainInput["algorithm"]): TrainInput => ({
  algorithm,
  seed: 3,
  testFraction: 0.25,
  folds: 3,
  balancing: "none",
  trainedAt: "2026-01-01T00:00:00.000Z",
});

function concat(parts: ScoreOutput[]): Pick<ScoreOutput, "riskScores" | "drivers"> {
  const sorted = [...parts].sort((a, b) => a.start - b.start);
  return { riskScores: sorted.flatMap((p) => p.riskScores), drivers: sorted.flatMap((p) => p.drivers) };
}

describe("chunked scoring", () => {
  const pool = new ComputePool({ size: 2 });
  afterAll(() => pool.close());

  it.each(["gradient_boosting", "logistic_regression"] as const)(
    "%s: chunks on the workers give exactly the scores and drivers of one pass on this thread",
    async (algorithm) => {
      const { modelJson } = runComputeTask("train", { table, split }, trainInput(algorithm));
      const total = table.rows.length;
      const whole = runComputeTask("score", { table, split }, { modelJson, start: 0, end: total });
      expect(whole.riskScores).toHaveLength(total);
      // Uneven chunks, one of a single row, computed in parallel and finishing in any order.
      const bounds = [0, 1, 137, 400, 401, total];
      const parts = await Promise.all(
        bounds
          .slice(1)
          .map((end, k) =>
            pool.run({ task: "score", table, split, input: { modelJson, start: bounds[k], end } }),
          ),
      );
      const chunked = concat(parts);
      expect(chunked.riskScores).toEqual(whole.riskScores);
      expect(chunked.drivers).toEqual(whole.drivers);
      // Not a degenerate model: scores spread and every customer has three named drivers.
      expect(new Set(whole.riskScores.map((s) => s.toFixed(3))).size).toBeGreaterThan(50);
      expect(whole.drivers.every((d) => d.length === 3 && d.every((c) => c.name.length > 0))).toBe(true);
    },
  );
});
