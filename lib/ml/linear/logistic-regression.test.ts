import { describe, expect, it } from "vitest";
import { matrixFromRows } from "../matrix";
import type { Matrix } from "../types";
import { sigmoid } from "./fit-inputs";
import { LOGISTIC_REGRESSION_DEFAULTS, LogisticRegression } from "./logistic-regression";
import { bruteForceShapley, logisticData, rocAuc } from "./test-factories";

/** Plain Newton on the raw (unscaled, uncentred) parameters with Gauss-Jordan: an independent reference. */
function referenceNewton(X: Matrix, y: Uint8Array, C: number, weights?: number[]): Float64Array {
  const { rows: n, cols: d } = X;
  const p = d + 1;
  const theta = new Float64Array(p);
  for (let iteration = 0; iteration < 100; iteration++) {
    const g = new Float64Array(p);
    const H = Array.from({ length: p }, () => new Float64Array(p + 1));
    for (let j = 0; j < d; j++) {
      g[j] = theta[j] / C;
      H[j][j] = 1 / C;
    }
    for (let i = 0; i < n; i++) {
      const xi = [...X.data.subarray(i * d, (i + 1) * d), 1];
      const m = xi.reduce((s, v, j) => s + v * theta[j], 0);
      const prob = sigmoid(m);
      const w = weights ? weights[i] : 1;
      for (let j = 0; j < p; j++) {
        g[j] += w * (prob - y[i]) * xi[j];
        for (let k = 0; k < p; k++) H[j][k] += w * prob * (1 - prob) * xi[j] * xi[k];
      }
    }
    for (let j = 0; j < p; j++) H[j][p] = g[j];
    for (let c = 0; c < p; c++) {
      const pivot = H[c][c];
      for (let k = c; k <= p; k++) H[c][k] /= pivot;
      for (let r = 0; r < p; r++) {
        if (r === c) continue;
        const f = H[r][c];
        for (let k = c; k <= p; k++) H[r][k] -= f * H[c][k];
      }
    }
    for (let j = 0; j < p; j++) theta[j] -= H[j][p];
  }
  return theta;
}

// Eight customers, two features on different scales, not separable.
const small = matrixFromRows([
  [1, 20],
  [2, 35],
  [3, 15],
  [4, 60],
  [5, 42],
  [6, 80],
  [7, 55],
  [8, 90],
]);
const smallLabels = Uint8Array.from([0, 0, 1, 0, 1, 1, 0, 1]);

describe("LogisticRegression", () => {
  it("matches the closed form of an unpenalised model on one binary feature", () => {
    // x = 0: 10 of 30 churn, x = 1: 15 of 20 churn -> intercept logit(1/3), coefficient logit(3/4) - logit(1/3).
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 30; i++) {
      rows.push([0]);
      labels.push(i < 10 ? 1 : 0);
    }
    for (let i = 0; i < 20; i++) {
      rows.push([1]);
      labels.push(i < 15 ? 1 : 0);
    }
    const model = new LogisticRegression({ C: Number.POSITIVE_INFINITY }).fit(
      matrixFromRows(rows),
      Uint8Array.from(labels),
    );
    expect(model.intercept).toBeCloseTo(Math.log(1 / 2), 9);
    expect(model.coefficients[0]).toBeCloseTo(Math.log(3) - Math.log(1 / 2), 9);
  });

  it("matches an independent Newton solve of scikit-learn's objective (C = 1 and C = 0.05)", () => {
    for (const C of [1, 0.05]) {
      const model = new LogisticRegression({ C }).fit(small, smallLabels);
      const reference = referenceNewton(small, smallLabels, C);
      expect(model.coefficients[0]).toBeCloseTo(reference[0], 8);
      expect(model.coefficients[1]).toBeCloseTo(reference[1], 8);
      expect(model.intercept).toBeCloseTo(reference[2], 8);
      expect(model.convergence.converged).toBe(true);
    }
  });

  it("treats a sample weight of 2 exactly like a duplicated row", () => {
    const weights = [1, 2, 1, 1, 3, 1, 2, 1];
    const duplicated: number[][] = [];
    const labels: number[] = [];
    weights.forEach((w, i) => {
      for (let t = 0; t < w; t++) {
        duplicated.push(Array.from(small.data.subarray(i * 2, i * 2 + 2)));
        labels.push(smallLabels[i]);
      }
    });
    const weighted = new LogisticRegression().fit(small, smallLabels, {
      sampleWeight: Float64Array.from(weights),
    });
    const copies = new LogisticRegression().fit(matrixFromRows(duplicated), Uint8Array.from(labels));
    expect(weighted.coefficients[0]).toBeCloseTo(copies.coefficients[0], 9);
    expect(weighted.coefficients[1]).toBeCloseTo(copies.coefficients[1], 9);
    expect(weighted.intercept).toBeCloseTo(copies.intercept, 9);
    const reference = referenceNewton(small, smallLabels, 1, weights);
    expect(weighted.intercept).toBeCloseTo(reference[2], 8);
  });

  it("does not penalise the intercept: a huge penalty leaves the base rate for everyone", () => {
    const model = new LogisticRegression({ C: 1e-9 }).fit(small, smallLabels, {
      sampleWeight: Float64Array.from([3, 3, 1, 3, 1, 1, 3, 1]),
    });
    // Weighted churn rate 4 / 16.
    for (const p of model.predictProba(small)) expect(p).toBeCloseTo(0.25, 6);
  });

  it("is robust to unscaled inputs: unpenalised predictions do not change under affine rescaling", () => {
    const { X, y } = logisticData(400, [1, -0.5, 0.8], -0.3, 7);
    const shifted = Float64Array.from(X.data, (v, i) =>
      i % 3 === 1 ? 1e4 + 2500 * v : i % 3 === 2 ? 1e-3 * v : v,
    );
    const unscaled = { ...X, data: shifted };
    const a = new LogisticRegression({ C: Number.POSITIVE_INFINITY }).fit(X, y);
    const b = new LogisticRegression({ C: Number.POSITIVE_INFINITY }).fit(unscaled, y);
    expect(b.convergence.converged).toBe(true);
    const pa = a.predictProba(X);
    const pb = b.predictProba(unscaled);
    for (let i = 0; i < pa.length; i++) expect(pb[i]).toBeCloseTo(pa[i], 9);
  });

  it("learns a synthetic data set with known coefficients", () => {
    const truth = [1.5, -1, 0.5, 0, 0];
    const { X, y } = logisticData(6000, truth, -1, 11);
    const model = new LogisticRegression().fit(X, y);
    for (const [j, w] of truth.entries()) expect(Math.abs(model.coefficients[j] - w)).toBeLessThan(0.12);
    expect(Math.abs(model.intercept + 1)).toBeLessThan(0.12);
    const test = logisticData(3000, truth, -1, 12);
    expect(rocAuc(model.predictProba(test.X), test.y)).toBeGreaterThan(0.8);
  });

  it("explains with exact linear SHAP that equals brute-force Shapley values and adds up to the margin", () => {
    const { X, y } = logisticData(40, [1, -2, 0.5], 0.2, 3);
    const weights = Float64Array.from({ length: 40 }, (_, i) => 1 + (i % 3));
    const model = new LogisticRegression().fit(X, y, { sampleWeight: weights });
    const margin = (row: Float64Array) => model.predictMargin({ data: row, rows: 1, cols: 3 })[0];
    const rows = matrixFromRows([
      [0.3, -1.2, 2],
      [-2, 0.5, 0],
    ]);
    const explanation = model.explain(rows);
    expect(explanation.space).toBe("margin");
    const margins = model.predictMargin(rows);
    for (let r = 0; r < 2; r++) {
      const exact = bruteForceShapley(margin, rows.data.subarray(r * 3, r * 3 + 3), X, weights);
      let sum = explanation.baseValue;
      for (let j = 0; j < 3; j++) {
        expect(explanation.values[r * 3 + j]).toBeCloseTo(exact[j], 10);
        sum += explanation.values[r * 3 + j];
      }
      expect(sum).toBeCloseTo(margins[r], 12);
    }
  });

  it("predicts identically after a JSON string round trip, also without a penalty", () => {
    const { X, y } = logisticData(300, [0.7, -0.2], 0.1, 5);
    for (const C of [1, Number.POSITIVE_INFINITY]) {
      const model = new LogisticRegression({ C }).fit(X, y);
      const restored = LogisticRegression.fromJSON(JSON.parse(JSON.stringify(model)));
      expect(restored.options.C).toBe(C);
      expect(restored.predictProba(X)).toEqual(model.predictProba(X));
      expect(restored.explain(X)).toEqual(model.explain(X));
    }
  });

  it("is deterministic", () => {
    const { X, y } = logisticData(500, [1, 2, 3], 0, 9);
    expect(JSON.stringify(new LogisticRegression().fit(X, y))).toBe(
      JSON.stringify(new LogisticRegression().fit(X, y)),
    );
  });

  it("exposes its defaults and leaves options untouched by fit", () => {
    const model = new LogisticRegression({ maxIterations: undefined });
    expect(model.options).toEqual(LOGISTIC_REGRESSION_DEFAULTS);
    model.fit(small, smallLabels);
    expect(model.options).toEqual(LOGISTIC_REGRESSION_DEFAULTS);
  });

  it("rejects unusable input with a message naming the problem", () => {
    expect(() => new LogisticRegression({ C: 0 })).toThrow(/C must be > 0/);
    expect(() => new LogisticRegression().fit(small, new Uint8Array(8))).toThrow(/both classes/);
    expect(() =>
      new LogisticRegression().fit(matrixFromRows([[Number.NaN], [1]]), Uint8Array.from([0, 1])),
    ).toThrow(/row 0, column 0 is NaN/);
    expect(() => new LogisticRegression().predictProba(small)).toThrow(/not fitted/);
    const model = new LogisticRegression().fit(small, smallLabels);
    expect(() => model.predictProba(matrixFromRows([[1, 2, 3]]))).toThrow(/fitted on 2 features, got 3/);
    expect(() => LogisticRegression.fromJSON({ ...model.toJSON(), formatVersion: 2 })).toThrow(
      /format version 2/,
    );
  });
});
