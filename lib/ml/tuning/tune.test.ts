import { describe, expect, it } from "vitest";
import { buildTrainingSet, inferSchema, parseCsv } from "../data";
import { crossValidateAlgorithm } from "../evaluate/compare-algorithms";
import { stratifiedKFold } from "../evaluate/split";
import { syntheticChurnCsv } from "../evaluate/synthetic-churn-table";
import { candidatesFor, TUNING_BUDGETS } from "./search-space";
import { consensusChoice, tuneAlgorithm } from "./tune";

function table(rows: number, seed: number) {
  const csv = parseCsv(syntheticChurnCsv(rows, seed));
  const schema = inferSchema(csv);
  return { schema, ...buildTrainingSet(csv, schema) };
}

describe("nested tuning never sees the outer fold", () => {
  const { schema, frame, labels } = table(1200, 3);
  const partitions = stratifiedKFold(labels, { folds: 4, seed: 11 });

  it("fits and scores every inner candidate on the outer training rows only", () => {
    const seen: { outerFold: number; fitRows: Uint32Array; scoreRows: Uint32Array }[] = [];
    crossValidateAlgorithm(schema, frame, labels, "random_forest", {
      partitions,
      tuning: "quick",
      onTuningFit: (event) => seen.push(event),
    });
    expect(new Set(seen.map((s) => s.outerFold))).toEqual(new Set([0, 1, 2, 3]));
    for (const { outerFold, fitRows, scoreRows } of seen) {
      const held = new Set(partitions[outerFold].validation);
      expect([...fitRows].filter((r) => held.has(r))).toEqual([]);
      expect([...scoreRows].filter((r) => held.has(r))).toEqual([]);
      // Inner validation rows are never fitted on in the same inner fold.
      const fitted = new Set(fitRows);
      expect([...scoreRows].some((r) => fitted.has(r))).toBe(false);
    }
  });

  it("chooses the same options for an outer fold whatever that fold's labels say", () => {
    // Black-box check: flipping every label of outer fold 0's validation rows must change nothing
    // the search for fold 0 did; a search that read those rows would score its candidates differently.
    const flipped = Uint8Array.from(labels);
    for (const r of partitions[0].validation) flipped[r] = 1 - flipped[r];
    const run = (y: Uint8Array) =>
      crossValidateAlgorithm(schema, frame, y, "logistic_regression", { partitions, tuning: "thorough" });
    const original = run(labels);
    const changed = run(flipped);
    expect(changed.tuning?.[0]).toEqual(original.tuning?.[0]);
    // The other folds' searches do use fold 0's rows (they are training rows there): they differ.
    expect(changed.tuning?.[1].trials).not.toEqual(original.tuning?.[1].trials);
  });

  it("reports the outer folds' AUC, not the tuning score", () => {
    const evaluation = crossValidateAlgorithm(schema, frame, labels, "random_forest", {
      partitions,
      tuning: "quick",
    });
    const foldMean = evaluation.result.folds.reduce((a, f) => a + f.auc, 0) / evaluation.result.folds.length;
    expect(evaluation.summary.cvAuc).toBeCloseTo(foldMean, 12);
    const innerMean = (evaluation.tuning ?? []).reduce((a, t) => a + t.innerAuc, 0) / 4;
    expect(Number.isFinite(innerMean)).toBe(true);
    expect(evaluation.summary.cvAuc).not.toBe(innerMean);
  });
});

describe("determinism with a seed under tuning", () => {
  const { schema, frame, labels } = table(900, 5);

  it("gives identical choices and out-of-fold predictions for the same seed", () => {
    const run = (seed: number) =>
      crossValidateAlgorithm(schema, frame, labels, "gradient_boosting", {
        seed,
        folds: 3,
        tuning: "thorough",
      });
    const a = run(7);
    const b = run(7);
    expect(b.tuning?.map((t) => t.chosen)).toEqual(a.tuning?.map((t) => t.chosen));
    expect(b.tuning?.map((t) => t.trials)).toEqual(a.tuning?.map((t) => t.trials));
    expect(Array.from(b.result.oof)).toEqual(Array.from(a.result.oof));
  });

  it("draws the same thorough candidates for a seed, and other ones for another seed", () => {
    expect(candidatesFor("gradient_boosting", "thorough", 1)).toEqual(
      candidatesFor("gradient_boosting", "thorough", 1),
    );
    expect(candidatesFor("gradient_boosting", "thorough", 1)).not.toEqual(
      candidatesFor("gradient_boosting", "thorough", 2),
    );
  });
});

describe("search space", () => {
  it("starts every search with the recommended options and never repeats a candidate", () => {
    for (const budget of TUNING_BUDGETS) {
      for (const algorithm of ["logistic_regression", "random_forest", "gradient_boosting", "svm"] as const) {
        const candidates = candidatesFor(algorithm, budget, 42);
        expect(candidates[0]).toEqual({});
        expect(new Set(candidates.map((c) => JSON.stringify(c))).size).toBe(candidates.length);
        expect(candidates.length).toBe(
          budget === "quick"
            ? algorithm === "logistic_regression" || algorithm === "svm"
              ? 1
              : 3
            : algorithm === "logistic_regression"
              ? 9
              : algorithm === "svm"
                ? 8
                : 12,
        );
      }
    }
  });

  it("keeps the recommended options when the rarer class is too small to tune on", () => {
    const { schema, frame, labels } = table(60, 9);
    const result = tuneAlgorithm({
      schema,
      frame,
      labels,
      algorithm: "random_forest",
      budget: "thorough",
      seed: 1,
    });
    expect(result.chosen).toEqual({});
    expect(result.skipped).toMatch(/rarer class/);
    expect(result.options).toMatchObject({ maxDepth: 6, minSamplesLeaf: 30 });
  });

  it("chooses the candidate with the best inner AUC, the recommended one first in line", () => {
    const { schema, frame, labels } = table(1500, 4);
    const result = tuneAlgorithm({
      schema,
      frame,
      labels,
      algorithm: "random_forest",
      budget: "quick",
      seed: 3,
    });
    const best = Math.max(...result.trials.map((t) => t.meanAuc));
    expect(result.innerAuc).toBe(best);
    expect(result.trials[0].candidate).toEqual({});
  });
});

describe("consensusChoice", () => {
  const result = (chosen: Record<string, number>) =>
    ({
      algorithm: "random_forest",
      budget: "quick",
      chosen,
      options: {},
      innerAuc: 0.8,
      innerFolds: 1,
      trials: [],
    }) as const;

  it("deploys the setting most training folds chose, the earliest on a tie", () => {
    const deep = { maxDepth: 10, minSamplesLeaf: 5 };
    expect(
      consensusChoice([result({}), result(deep), result({ minSamplesLeaf: 5, maxDepth: 10 })]).chosen,
    ).toEqual(deep);
    expect(consensusChoice([result(deep), result({})]).chosen).toEqual(deep);
    expect(() => consensusChoice([])).toThrow();
  });

  it("makes no inner fits when a budget has a single candidate", () => {
    const { schema, frame, labels } = table(600, 2);
    let fits = 0;
    const tuned = tuneAlgorithm({
      schema,
      frame,
      labels,
      algorithm: "svm",
      budget: "quick",
      seed: 1,
      onFit: () => fits++,
    });
    expect(fits).toBe(0);
    expect(tuned.chosen).toEqual({});
  });
});
