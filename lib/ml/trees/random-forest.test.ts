import { describe, expect, it } from "vitest";
import { matrixFromRows, takeLabels, takeRows } from "../matrix";
import type { Matrix } from "../types";
import { RANDOM_FOREST_DEFAULTS, RandomForestClassifier } from "./random-forest";
import { auc, syntheticChurn } from "./test-trees";

const train = syntheticChurn(1, 1500);
const test = syntheticChurn(2, 800);
const SMALL = { nTrees: 20, seed: 7 };

describe("RandomForestClassifier", () => {
  it("learns a synthetic signal: held-out AUC well above 0.5", () => {
    const model = new RandomForestClassifier({ seed: 3 }).fit(train.X, train.y);
    const p = model.predictProba(test.X);
    expect(auc(p, test.y)).toBeGreaterThan(0.8);
    for (const v of p) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });

  it("uses documented defaults and rejects invalid options", () => {
    expect(new RandomForestClassifier().options).toEqual(RANDOM_FOREST_DEFAULTS);
    expect(new RandomForestClassifier({ maxDepth: undefined }).options.maxDepth).toBe(
      RANDOM_FOREST_DEFAULTS.maxDepth,
    );
    expect(() => new RandomForestClassifier({ nTrees: 0 })).toThrow(/nTrees/);
    expect(() => new RandomForestClassifier({ maxFeatures: 1.5 })).toThrow(/maxFeatures/);
  });

  it("is deterministic given a seed and varies with it", () => {
    const a = new RandomForestClassifier(SMALL).fit(train.X, train.y).predictProba(test.X);
    const b = new RandomForestClassifier(SMALL).fit(train.X, train.y).predictProba(test.X);
    const c = new RandomForestClassifier({ ...SMALL, seed: 8 }).fit(train.X, train.y).predictProba(test.X);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("explains in probability space: base value + sum of contributions = predicted probability", () => {
    const model = new RandomForestClassifier(SMALL).fit(train.X, train.y);
    const X = takeRows(
      test.X,
      Array.from({ length: 50 }, (_, i) => i),
    );
    const p = model.predictProba(X);
    const explanation = model.explain(X);
    expect(explanation.space).toBe("probability");
    expect([explanation.rows, explanation.cols]).toEqual([50, X.cols]);
    for (let r = 0; r < X.rows; r++) {
      let total = explanation.baseValue;
      for (let c = 0; c < X.cols; c++) total += explanation.values[r * X.cols + c];
      expect(total).toBeCloseTo(p[r], 12);
    }
    // The pure-noise column (3) matters far less than tenure (0).
    let noise = 0;
    let tenure = 0;
    for (let r = 0; r < X.rows; r++) {
      noise += Math.abs(explanation.values[r * X.cols + 3]);
      tenure += Math.abs(explanation.values[r * X.cols]);
    }
    expect(tenure).toBeGreaterThan(3 * noise);
  });

  it("restores identical predictions and explanations after a JSON string round trip", () => {
    const model = new RandomForestClassifier(SMALL).fit(train.X, train.y);
    const json = JSON.stringify(model);
    const restored = RandomForestClassifier.fromJSON(JSON.parse(json));
    expect(RandomForestClassifier.fromJSON(json).predictProba(test.X)).toEqual(model.predictProba(test.X));
    expect(restored.predictProba(test.X)).toEqual(model.predictProba(test.X));
    expect(restored.explain(test.X)).toEqual(model.explain(test.X));
    expect(restored.options).toEqual(model.options);
    // Float64 thresholds (midpoints like 83.27500000000001) survive bit for bit.
    for (let t = 0; t < model.trees.length; t++) {
      expect(restored.trees[t].threshold).toEqual(model.trees[t].threshold);
      expect(restored.trees[t].value).toEqual(model.trees[t].value);
    }
    expect(JSON.stringify(restored)).toBe(json);
  });

  it("treats a weight of 2 like a duplicated row (no bootstrap, all features)", () => {
    const options = {
      nTrees: 3,
      bootstrap: false,
      maxFeatures: "all" as const,
      minSamplesLeaf: 1,
      maxDepth: 6,
    };
    // 200 rows: every column has <= 255 distinct values, so duplicates cannot move bin edges.
    const X = takeRows(
      train.X,
      Array.from({ length: 200 }, (_, i) => i),
    );
    const y = takeLabels(
      train.y,
      Array.from({ length: 200 }, (_, i) => i),
    );
    const weights = new Float64Array(200).fill(1);
    const duplicated: number[] = [];
    for (let i = 0; i < 200; i++) {
      duplicated.push(i);
      if (i % 3 === 0) {
        weights[i] = 2;
        duplicated.push(i);
      }
    }
    const weighted = new RandomForestClassifier(options).fit(X, y, { sampleWeight: weights });
    const copied = new RandomForestClassifier(options).fit(
      takeRows(X, duplicated),
      takeLabels(y, duplicated),
    );
    const a = weighted.predictProba(test.X);
    const b = copied.predictProba(test.X);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 12);
  });

  it("ignores rows with zero weight", () => {
    const rows = Array.from({ length: 400 }, (_, i) => i);
    const X = takeRows(train.X, rows);
    const y = takeLabels(train.y, rows);
    // Zero-weight rows carry the opposite label: if they leaked in, predictions would move.
    const flipped = Uint8Array.from(y, (v) => 1 - v);
    const both: Matrix = { data: Float64Array.from([...X.data, ...X.data]), rows: 800, cols: X.cols };
    const labels = Uint8Array.from([...y, ...flipped]);
    const weights = Float64Array.from({ length: 800 }, (_, i) => (i < 400 ? 1 : 0));
    const options = { nTrees: 5, bootstrap: false, maxFeatures: "all" as const, minSamplesLeaf: 5 };
    const weighted = new RandomForestClassifier(options).fit(both, labels, { sampleWeight: weights });
    const plain = new RandomForestClassifier(options).fit(X, y);
    expect(weighted.predictProba(test.X)).toEqual(plain.predictProba(test.X));
  });

  it("fits and predicts with missing values", () => {
    const X = matrixFromRows([
      [Number.NaN, 1],
      [1, 0],
      [Number.NaN, 1],
      [2, 0],
      [Number.NaN, 0],
      [3, 1],
    ]);
    const model = new RandomForestClassifier({ nTrees: 5, minSamplesLeaf: 1 }).fit(
      X,
      Uint8Array.of(1, 0, 1, 0, 1, 0),
    );
    const p = model.predictProba(matrixFromRows([[Number.NaN, 0]]));
    expect(p[0]).toBeGreaterThan(0.5);
  });

  it("reports unusable input with a message naming the problem", () => {
    const model = new RandomForestClassifier(SMALL);
    expect(() => model.predictProba(test.X)).toThrow(/not fitted/);
    expect(() => model.fit(train.X, new Uint8Array(train.X.rows))).toThrow(/both classes/);
    expect(() => model.fit(train.X, train.y.subarray(1))).toThrow(/labels/);
    expect(() =>
      model.fit(train.X, train.y, { sampleWeight: new Float64Array(train.X.rows).fill(-1) }),
    ).toThrow(/weight/);
    model.fit(train.X, train.y);
    expect(() => model.predictProba(matrixFromRows([[1, 2]]))).toThrow(/6 features, got 2/);
    const json = model.toJSON();
    expect(() => RandomForestClassifier.fromJSON({ ...json, algorithm: "gradient_boosting" })).toThrow(
      /random_forest/,
    );
    expect(() => RandomForestClassifier.fromJSON({ ...json, formatVersion: 2 })).toThrow(/format version/);
    expect(() => RandomForestClassifier.fromJSON({ ...json, state: { nFeatures: 6, trees: "x" } })).toThrow(
      /state/,
    );
  });
});
