import { describe, expect, it } from "vitest";
import { matrixFromRows } from "../matrix";
import { SVM_DEFAULTS, Svm } from "./svm";
import { bruteForceShapley, logisticData, ringData, rocAuc } from "./test-factories";

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

describe("Svm", () => {
  const ring = ringData(1200, 2, 1);
  const ringTest = ringData(1000, 2, 2);
  const rbf = new Svm({ nComponents: 300 }).fit(ring.X, ring.y);

  it("learns a non-linear signal with the RBF kernel that the linear kernel cannot", () => {
    expect(rocAuc(rbf.predictProba(ringTest.X), ringTest.y)).toBeGreaterThan(0.93);
    const linear = new Svm({ kernel: "linear" }).fit(ring.X, ring.y);
    expect(rocAuc(linear.predictProba(ringTest.X), ringTest.y)).toBeLessThan(0.65);
  });

  it("learns a linear signal with calibrated probabilities", () => {
    const train = logisticData(2000, [1.2, -0.8, 0.5], -1, 3);
    const test = logisticData(2000, [1.2, -0.8, 0.5], -1, 4);
    for (const kernel of ["linear", "rbf"] as const) {
      const model = new Svm({ kernel, nComponents: 300 }).fit(train.X, train.y);
      const p = model.predictProba(test.X);
      expect(rocAuc(p, test.y)).toBeGreaterThan(0.8);
      expect(Math.abs(mean(p) - mean(test.y))).toBeLessThan(0.03);
      // Calibrated: the churn rate among rows predicted above 0.5 is above 0.5, and below it below.
      const high = Array.from(p.keys()).filter((i) => p[i] > 0.5);
      const low = Array.from(p.keys()).filter((i) => p[i] <= 0.5);
      expect(mean(high.map((i) => test.y[i]))).toBeGreaterThan(0.55);
      expect(mean(low.map((i) => test.y[i]))).toBeLessThan(0.35);
    }
  });

  it("explains the calibrated log-odds additively, by sampling for RBF and exactly for the linear kernel", () => {
    const rows = matrixFromRows([
      [0.2, 1.5, -0.3, 0.8],
      [-1.4, 0.1, 2, -0.5],
    ]);
    const explanation = rbf.explain(rows);
    const margin = rbf.predictMargin(rows);
    const proba = rbf.predictProba(rows);
    expect(explanation.space).toBe("margin");
    for (let r = 0; r < 2; r++) {
      expect(1 / (1 + Math.exp(-margin[r]))).toBeCloseTo(proba[r], 12);
      const sum = explanation.values
        .subarray(r * 4, r * 4 + 4)
        .reduce((s, v) => s + v, explanation.baseValue);
      expect(sum).toBeCloseTo(margin[r], 10);
    }
    // The ring depends on features 0 and 1 only.
    const first = Math.abs(explanation.values[0]) + Math.abs(explanation.values[1]);
    expect(first).toBeGreaterThan(Math.abs(explanation.values[2]) + Math.abs(explanation.values[3]));
  });

  it("gives the linear kernel the brute-force Shapley values of its margin", () => {
    const { X, y } = logisticData(60, [1, -1, 0.5], 0, 5);
    const weights = Float64Array.from({ length: 60 }, (_, i) => 1 + (i % 4));
    const model = new Svm({ kernel: "linear" }).fit(X, y, { sampleWeight: weights });
    const x = [0.4, -2, 1];
    const explanation = model.explain(matrixFromRows([x]));
    const f = (row: Float64Array) => model.predictMargin({ data: row, rows: 1, cols: 3 })[0];
    const exact = bruteForceShapley(f, x, X, weights);
    for (let j = 0; j < 3; j++) expect(explanation.values[j]).toBeCloseTo(exact[j], 10);
    expect(explanation.baseValue + explanation.values.reduce((s, v) => s + v, 0)).toBeCloseTo(
      f(Float64Array.from(x)),
      10,
    );
  });

  it("predicts and explains identically after a JSON string round trip", () => {
    for (const model of [rbf, new Svm({ kernel: "linear" }).fit(ring.X, ring.y)]) {
      const restored = Svm.fromJSON(JSON.parse(JSON.stringify(model)));
      expect(restored.options).toEqual(model.options);
      expect(restored.predictProba(ringTest.X)).toEqual(model.predictProba(ringTest.X));
      const some = { data: ringTest.X.data.subarray(0, 12), rows: 3, cols: 4 };
      expect(restored.explain(some)).toEqual(model.explain(some));
    }
  });

  it("is deterministic given a seed, and the seed matters", () => {
    const again = new Svm({ nComponents: 300 }).fit(ring.X, ring.y);
    expect(JSON.stringify(again)).toBe(JSON.stringify(rbf));
    const other = new Svm({ nComponents: 300, seed: 7 }).fit(ring.X, ring.y);
    expect(other.predictProba(ringTest.X)).not.toEqual(rbf.predictProba(ringTest.X));
  });

  it("honours sample weights: up-weighting churners raises predicted churn", () => {
    const { X, y } = logisticData(1000, [1, 0.5], -1, 6);
    const plain = new Svm({ kernel: "linear" }).fit(X, y);
    const weights = Float64Array.from(y, (v) => (v ? 4 : 1));
    const weighted = new Svm({ kernel: "linear" }).fit(X, y, { sampleWeight: weights });
    expect(mean(weighted.predictProba(X))).toBeGreaterThan(mean(plain.predictProba(X)) + 0.1);
  });

  it("exposes its defaults and rejects unusable options and input", () => {
    expect(new Svm().options).toEqual(SVM_DEFAULTS);
    expect(() => new Svm({ kernel: "poly" as "rbf" })).toThrow(/Unknown SVM kernel poly/);
    expect(() => new Svm({ C: -1 })).toThrow(/C must be a positive number/);
    expect(() => new Svm({ calibrationFolds: 1 })).toThrow(/calibrationFolds/);
    expect(() => new Svm().predictProba(ring.X)).toThrow(/not fitted/);
    expect(() => rbf.predictProba(matrixFromRows([[1, 2]]))).toThrow(/fitted on 4 features, got 2/);
    expect(() => Svm.fromJSON({ ...rbf.toJSON(), algorithm: "logistic_regression" })).toThrow(
      /Expected an svm/,
    );
  });
});
