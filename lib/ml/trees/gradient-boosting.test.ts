import { describe, expect, it } from "vitest";
import { matrixFromRows, takeLabels, takeRows } from "../matrix";
import { createRng } from "../random";
import { GRADIENT_BOOSTING_DEFAULTS, GradientBoostingClassifier } from "./gradient-boosting";
import { auc, syntheticChurn } from "./test-trees";

const train = syntheticChurn(1, 1500);
const test = syntheticChurn(2, 800);
const SMALL = { nEstimators: 40, learningRate: 0.2, seed: 7 };

describe("GradientBoostingClassifier", () => {
  it("learns a synthetic signal: held-out AUC well above 0.5", () => {
    const model = new GradientBoostingClassifier({ seed: 3 }).fit(train.X, train.y);
    expect(auc(model.predictProba(test.X), test.y)).toBeGreaterThan(0.8);
  });

  it("uses documented defaults and rejects invalid options", () => {
    expect(new GradientBoostingClassifier().options).toEqual(GRADIENT_BOOSTING_DEFAULTS);
    expect(() => new GradientBoostingClassifier({ learningRate: 0 })).toThrow(/learningRate/);
    expect(() => new GradientBoostingClassifier({ subsample: 1.2 })).toThrow(/subsample/);
  });

  it("starts from the log-odds of the weighted churn rate", () => {
    const weights = Float64Array.from(train.y, (v, i) => (v === 1 ? 3 : 1 + (i % 2)));
    let positive = 0;
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      positive += weights[i] * train.y[i];
      total += weights[i];
    }
    const model = new GradientBoostingClassifier({ ...SMALL, earlyStoppingRounds: 0 }).fit(train.X, train.y, {
      sampleWeight: weights,
    });
    expect(model.baseScore).toBeCloseTo(Math.log(positive / (total - positive)), 12);
  });

  it("is deterministic given a seed and varies with it", () => {
    const a = new GradientBoostingClassifier(SMALL).fit(train.X, train.y).predictProba(test.X);
    const b = new GradientBoostingClassifier(SMALL).fit(train.X, train.y).predictProba(test.X);
    const c = new GradientBoostingClassifier({ ...SMALL, seed: 8 })
      .fit(train.X, train.y)
      .predictProba(test.X);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("explains in margin space: base value + sum of contributions = log-odds", () => {
    const model = new GradientBoostingClassifier(SMALL).fit(train.X, train.y);
    const X = takeRows(
      test.X,
      Array.from({ length: 60 }, (_, i) => i),
    );
    const margins = model.predictMargin(X);
    const p = model.predictProba(X);
    const explanation = model.explain(X);
    expect(explanation.space).toBe("margin");
    for (let r = 0; r < X.rows; r++) {
      let total = explanation.baseValue;
      for (let c = 0; c < X.cols; c++) total += explanation.values[r * X.cols + c];
      expect(total).toBeCloseTo(margins[r], 10);
      expect(1 / (1 + Math.exp(-total))).toBeCloseTo(p[r], 12);
    }
  });

  it("stops early on the inner validation split and keeps the best iteration", () => {
    // Pure-noise labels: validation loss stops improving after a few rounds.
    const rng = createRng(9);
    const noise = Uint8Array.from(train.y, () => (rng.next() < 0.3 ? 1 : 0));
    const model = new GradientBoostingClassifier({
      nEstimators: 300,
      learningRate: 0.3,
      earlyStoppingRounds: 10,
      validationFraction: 0.2,
    }).fit(train.X, noise);
    expect(model.roundsTrained).toBeLessThan(300);
    expect(model.roundsTrained - model.trees.length).toBe(10);
    const full = new GradientBoostingClassifier({ nEstimators: 40, earlyStoppingRounds: 0 }).fit(
      train.X,
      noise,
    );
    expect(full.trees.length).toBe(40);
    expect(full.roundsTrained).toBe(40);
  });

  it("restores identical predictions and explanations after a JSON string round trip", () => {
    const model = new GradientBoostingClassifier(SMALL).fit(train.X, train.y);
    const json = JSON.stringify(model);
    const restored = GradientBoostingClassifier.fromJSON(JSON.parse(json));
    expect(restored.predictProba(test.X)).toEqual(model.predictProba(test.X));
    expect(restored.explain(test.X)).toEqual(model.explain(test.X));
    expect(restored.baseScore).toBe(model.baseScore);
    expect(restored.roundsTrained).toBe(model.roundsTrained);
    for (let t = 0; t < model.trees.length; t++) {
      expect(restored.trees[t].threshold).toEqual(model.trees[t].threshold);
      expect(restored.trees[t].value).toEqual(model.trees[t].value);
    }
    expect(JSON.stringify(restored)).toBe(json);
  });

  it("treats a weight of 2 like a duplicated row (no subsampling)", () => {
    const options = {
      nEstimators: 15,
      subsample: 1,
      colsample: 1,
      earlyStoppingRounds: 0,
      minChildWeight: 1,
    };
    // 200 rows: every column has <= 255 distinct values, so duplicates cannot move bin edges.
    const rows = Array.from({ length: 200 }, (_, i) => i);
    const X = takeRows(train.X, rows);
    const y = takeLabels(train.y, rows);
    const weights = Float64Array.from(rows, (i) => (i % 4 === 0 ? 2 : 1));
    const duplicated = rows.flatMap((i) => (i % 4 === 0 ? [i, i] : [i]));
    const weighted = new GradientBoostingClassifier(options).fit(X, y, { sampleWeight: weights });
    const copied = new GradientBoostingClassifier(options).fit(
      takeRows(X, duplicated),
      takeLabels(y, duplicated),
    );
    const a = weighted.predictMargin(test.X);
    const b = copied.predictMargin(test.X);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 9);
  });

  it("reports unusable input with a message naming the problem", () => {
    const model = new GradientBoostingClassifier(SMALL);
    expect(() => model.explain(test.X)).toThrow(/not fitted/);
    expect(() => model.fit(train.X, new Uint8Array(train.X.rows).fill(1))).toThrow(/both classes/);
    expect(() =>
      model.fit(
        train.X,
        Uint8Array.from(train.y, () => 2),
      ),
    ).toThrow(/0 or 1/);
    model.fit(train.X, train.y);
    expect(() => model.predictProba(matrixFromRows([[1]]))).toThrow(/6 features, got 1/);
    const json = model.toJSON();
    expect(() => GradientBoostingClassifier.fromJSON({ ...json, algorithm: "random_forest" })).toThrow(
      /gradient_boosting/,
    );
    const state = json.state as { trees: { left: number[] }[] };
    const corrupted = structuredClone(state);
    corrupted.trees[0].left[0] = 0;
    expect(() => GradientBoostingClassifier.fromJSON({ ...json, state: corrupted })).toThrow(/children/);
  });
});
