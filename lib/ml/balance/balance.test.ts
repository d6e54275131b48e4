import { describe, expect, it } from "vitest";
import { buildTrainingSet } from "../data/frame";
import { inferSchema } from "../data/schema-inference";
import { makeSignalTable } from "../data/test-factories";
import { FeaturePipeline } from "../features/pipeline";
import { matrixFromRows } from "../matrix";
import { balanceTrainingSet } from "./balance";

const X = matrixFromRows([[0], [1], [2], [3], [4], [5], [6], [7], [8], [9]]);
const y = Uint8Array.from([1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);

describe("balanceTrainingSet", () => {
  it("none returns the training set unchanged", () => {
    const out = balanceTrainingSet(X, y, { method: "none" });
    expect(out.X).toBe(X);
    expect(out.sampleWeight).toBeUndefined();
  });

  it("class_weights adds per-row weights and no rows", () => {
    const out = balanceTrainingSet(X, y, { method: "class_weights" });
    expect(out.X.rows).toBe(10);
    expect(out.sampleWeight?.[0]).toBeCloseTo(10 / 6, 12);
    expect(out.sampleWeight?.[9]).toBeCloseTo(10 / 14, 12);
  });

  it("smote appends synthetic minority rows", () => {
    const out = balanceTrainingSet(X, y, { method: "smote", k: 2, seed: 1 });
    expect(out.syntheticCount).toBe(4);
    expect(out.X.rows).toBe(14);
    expect(Array.from(out.y.subarray(10))).toEqual([1, 1, 1, 1]);
    for (let r = 10; r < 14; r++) {
      expect(out.X.data[r]).toBeGreaterThanOrEqual(0);
      expect(out.X.data[r]).toBeLessThanOrEqual(2);
    }
  });
});

describe("balancing a pipeline's training matrix with SMOTE-NC", () => {
  it("keeps every categorical group of a synthetic row valid", () => {
    const data = makeSignalTable(600);
    const set = buildTrainingSet(data, inferSchema(data));
    const train = Array.from({ length: 480 }, (_, i) => i);
    const pipeline = FeaturePipeline.fromSchema(inferSchema(data), { standardize: true }).fit(
      set.frame,
      train,
    );
    const Xtrain = pipeline.transform(set.frame, train);
    const ytrain = set.labels.slice(0, 480);
    const groups = pipeline.categoricalGroups;
    const out = balanceTrainingSet(Xtrain, ytrain, { method: "smote", categoricalGroups: groups, seed: 2 });
    expect(out.syntheticCount).toBeGreaterThan(0);
    for (let r = Xtrain.rows; r < out.X.rows; r++) {
      for (const g of groups) {
        const values = g.columns.map((c) => out.X.data[r * out.X.cols + c]);
        for (const v of values) expect([0, 1]).toContain(v);
        if (values.length > 1) expect(values.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
      }
    }
  });
});
