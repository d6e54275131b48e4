import { describe, expect, it } from "vitest";
import { candidatesFor } from "../tuning/search-space";
import {
  CV_MAX_ROWS,
  crossValidationRows,
  crossValidationSentence,
  DEEP_TREES_MAX_ROWS,
  FIT_MAX_ROWS,
  finalFitRows,
  LARGE_DATA_MAX_TREE_DEPTH,
  QUICK_TUNING_MAX_ROWS,
  stratifiedSubsample,
  tuningPlan,
} from "./large-data";

/** `n` labels with churn on every `every`-th row. */
function labels(n: number, every: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i % every === 0 ? 1 : 0));
}

const sum = (y: Uint8Array, rows: Uint32Array) => rows.reduce((s, r) => s + y[r], 0);

describe("the large-data decisions", () => {
  it("cross-validates on every row up to CV_MAX_ROWS and on a stratified sample of that many above", () => {
    expect(crossValidationRows(labels(CV_MAX_ROWS, 4), 42)).toBeNull();
    const y = labels(180_000, 4); // 25 % churn
    const rows = crossValidationRows(y, 42) as Uint32Array;
    expect(rows).toHaveLength(CV_MAX_ROWS);
    // Ascending and distinct: a subset of the rows, in file order.
    for (let i = 1; i < rows.length; i++) expect(rows[i]).toBeGreaterThan(rows[i - 1]);
    expect(rows[rows.length - 1]).toBeLessThan(y.length);
    // Both classes keep their share (stratified), to the row.
    expect(sum(y, rows)).toBe(CV_MAX_ROWS / 4);
  });

  it("is seeded: the same seed gives the same sample, another seed another one", () => {
    const y = labels(120_000, 7);
    const a = crossValidationRows(y, 42) as Uint32Array;
    expect(crossValidationRows(y, 42)).toEqual(a);
    const b = crossValidationRows(y, 43) as Uint32Array;
    let same = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
    expect(same).toBeLessThan(a.length);
  });

  it("keeps a rare class present (3 % churn) and never takes more positives than exist", () => {
    const y = labels(200_000, 33);
    const rows = stratifiedSubsample(y, 1_000, 1) as Uint32Array;
    expect(sum(y, rows)).toBe(Math.round((1_000 * y.reduce((s, v) => s + v, 0)) / y.length));
    const tiny = new Uint8Array(10_000);
    tiny[5] = 1;
    const one = stratifiedSubsample(tiny, 100, 1) as Uint32Array;
    expect(one).toHaveLength(100);
    expect(sum(tiny, one)).toBe(1);
  });

  it("fits trees on every row and subsamples the SVM and logistic regression above their sizes", () => {
    const y = labels(250_000, 4);
    expect(finalFitRows(y, "random_forest", 42)).toBeNull();
    expect(finalFitRows(y, "gradient_boosting", 42)).toBeNull();
    expect(finalFitRows(y, "svm", 42)).toHaveLength(FIT_MAX_ROWS.svm as number);
    expect(finalFitRows(y, "logistic_regression", 42)).toHaveLength(
      FIT_MAX_ROWS.logistic_regression as number,
    );
    expect(finalFitRows(labels(90_000, 4), "svm", 42)).toBeNull();
  });

  it("bounds the search by data size: quick skipped above its size (and says why), thorough without deep trees", () => {
    expect(tuningPlan(undefined, 1_000_000)).toEqual({ budget: null, skipped: null, maxTreeDepth: null });
    expect(tuningPlan("quick", DEEP_TREES_MAX_ROWS)).toEqual({
      budget: "quick",
      skipped: null,
      maxTreeDepth: null,
    });
    expect(tuningPlan("thorough", 5_634).maxTreeDepth).toBeNull();
    expect(tuningPlan("quick", QUICK_TUNING_MAX_ROWS)).toEqual({
      budget: "quick",
      skipped: null,
      maxTreeDepth: LARGE_DATA_MAX_TREE_DEPTH,
    });
    const quick = tuningPlan("quick", 80_000);
    expect(quick.budget).toBeNull();
    expect(quick.skipped).toBe(
      "80,000 training rows, more than the 20,000 a quick search covers (it would take longer than training itself); choose Thorough to search",
    );
    expect(tuningPlan("thorough", 80_000)).toEqual({
      budget: "thorough",
      skipped: null,
      maxTreeDepth: LARGE_DATA_MAX_TREE_DEPTH,
    });
  });

  it("clamps deeper trees in a limited search, keeping the recommended configuration first", () => {
    const depth = (c: Record<string, unknown>) => (typeof c.maxDepth === "number" ? c.maxDepth : 0);
    const unlimited = candidatesFor("random_forest", "quick", 42);
    expect(unlimited).toContainEqual({ maxDepth: 12, minSamplesLeaf: 2, maxFeatures: 0.33 });
    expect(candidatesFor("random_forest", "quick", 42, { maxTreeDepth: 8 })).toEqual([
      {},
      { maxDepth: 8, minSamplesLeaf: 5 },
      { maxDepth: 8, minSamplesLeaf: 2, maxFeatures: 0.33 },
    ]);
    for (const algorithm of ["random_forest", "gradient_boosting"] as const) {
      const limited = candidatesFor(algorithm, "thorough", 42, { maxTreeDepth: LARGE_DATA_MAX_TREE_DEPTH });
      expect(limited[0]).toEqual({});
      expect(limited.length).toBeGreaterThan(3);
      for (const c of limited) expect(depth(c)).toBeLessThanOrEqual(LARGE_DATA_MAX_TREE_DEPTH);
    }
  });

  it("says on the model page which rows the cross-validation used", () => {
    expect(crossValidationSentence({ rows: 50_000, of: 800_000, folds: 5 })).toBe(
      "Cross-validated (5 folds) on a stratified sample of 50,000 of the 800,000 training rows; the model itself was fitted on all of them.",
    );
    expect(crossValidationSentence({ rows: 5_634, of: 5_634, folds: 5 })).toBe(
      "Cross-validated (5 folds) on all 5,634 training rows.",
    );
  });
});
