import { describe, expect, it } from "vitest";
import { ChurnModel, trainChurnModel } from "./churn-model";
import { buildTrainingSet, inferSchema } from "./data";
import type { AlgorithmOptions } from "./evaluate/algorithms";
import { syntheticChurnTable } from "./evaluate/synthetic-churn-table";
import type { RawRecord } from "./features";
import { ALGORITHMS, type Algorithm } from "./types";

const table = syntheticChurnTable(500, 11);
const schema = inferSchema(table);
const { frame, labels } = buildTrainingSet(table, schema);
const records: RawRecord[] = table.rows
  .slice(0, 25)
  .map((row) => Object.fromEntries(table.columns.map((c, j) => [c, row[j]])));

// Small models keep the suite fast; the defaults are exercised by the CLI and benchmark.
const small: AlgorithmOptions = {
  random_forest: { nTrees: 25 },
  gradient_boosting: { nEstimators: 40 },
  svm: { nComponents: 60, nPermutations: 1 },
};

const models = new Map<Algorithm, ChurnModel>();
function model(algorithm: Algorithm): ChurnModel {
  let m = models.get(algorithm);
  if (!m) {
    m = trainChurnModel({
      schema,
      frame,
      labels,
      algorithm,
      algorithmOptions: small,
      folds: 3,
      seed: 5,
      importanceRows: 200,
    });
    models.set(algorithm, m);
  }
  return m;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

describe.each(ALGORITHMS)("ChurnModel (%s)", (algorithm) => {
  it("scores raw records exactly as the frame path does", () => {
    const m = model(algorithm);
    const fromRecords = m.predict(records).map((p) => p.riskScore);
    const fromFrame = Array.from(
      m.predictFrame(
        frame,
        Array.from({ length: 25 }, (_, i) => i),
      ),
    );
    for (let i = 0; i < 25; i++) expect(fromRecords[i]).toBeCloseTo(fromFrame[i], 12);
    for (const p of m.predict(records)) {
      expect(p.margin).toBeCloseTo(Math.log(p.riskScore / (1 - p.riskScore)), 9);
      expect(p.isPredictedChurn).toBe(p.riskScore >= m.threshold);
    }
  });

  it("explanations are additive per feature and per column, in log-odds and probability", () => {
    const m = model(algorithm);
    for (const e of m.explain(records.slice(0, 5))) {
      expect(e.base.logOdds + sum(e.features.map((c) => c.logOdds))).toBeCloseTo(e.margin, 6);
      expect(e.base.probability + sum(e.features.map((c) => c.probability))).toBeCloseTo(e.riskScore, 9);
      expect(e.base.logOdds + sum(e.columns.map((c) => c.logOdds))).toBeCloseTo(e.margin, 6);
      expect(e.base.probability + sum(e.columns.map((c) => c.probability))).toBeCloseTo(e.riskScore, 9);
    }
  });

  it("folds every one-hot part of a column into one contribution", () => {
    const m = model(algorithm);
    const [e] = m.explain(records.slice(0, 1));
    const parts = e.features.filter((f) => f.name.startsWith("contract="));
    expect(parts.length).toBeGreaterThanOrEqual(2);
    const contract = e.columns.find((c) => c.name === "contract");
    expect(contract?.logOdds).toBeCloseTo(sum(parts.map((p) => p.logOdds)), 9);
    expect(e.columns.filter((c) => c.name.startsWith("contract"))).toHaveLength(1);
  });

  it("predicts identically after a JSON string round trip", () => {
    const m = model(algorithm);
    const restored = ChurnModel.fromJSON(JSON.stringify(m));
    expect(restored.predict(records)).toEqual(m.predict(records));
    expect(restored.explain(records.slice(0, 3))).toEqual(m.explain(records.slice(0, 3)));
    expect(restored.threshold).toBe(m.threshold);
    expect(restored.metadata).toEqual(m.metadata);
  });

  it("learns the known signal: tenure and contract matter more than the noise column", () => {
    const m = model(algorithm);
    const cv = m.metadata.crossValidation;
    expect(cv?.cvAuc).toBeGreaterThan(0.75);
    const stored = m.metadata.importance.map((i) => i.meanAbs);
    expect(stored.length).toBeGreaterThan(3);
    expect([...stored].sort((a, b) => b - a)).toEqual(stored);
    // Split mode: tenure's engineered features (tenure bin, charges per month) count for tenure.
    const rank = m.globalImportance(frame, undefined, { engineered: "split" }).map((i) => i.column);
    expect(rank.indexOf("region")).toBeGreaterThan(rank.indexOf("tenure"));
    expect(rank.indexOf("region")).toBeGreaterThan(rank.indexOf("contract"));
  });
});

describe("ChurnModel records and options", () => {
  it("reports missing and unseen fields as warnings instead of failing", () => {
    const m = model("logistic_regression");
    const [p] = m.predict([{ tenure: 5, contract: "Three year", monthly_charges: null }]);
    expect(p.riskScore).toBeGreaterThan(0);
    expect(p.riskScore).toBeLessThan(1);
    const kinds = p.warnings.map((w) => `${w.column}:${w.kind}`);
    expect(kinds).toContain("contract:unseen_category");
    expect(kinds).toContain("monthly_charges:missing");
  });

  it("can split engineered features among their original columns", () => {
    const m = model("gradient_boosting");
    const engineered = m.pipeline.engineeredFeatures.map((f) => f.name);
    expect(engineered.length).toBeGreaterThan(0);
    const [grouped] = m.explain(records.slice(0, 1));
    const [split] = m.explain(records.slice(0, 1), { engineered: "split" });
    expect(grouped.columns.some((c) => engineered.includes(c.name))).toBe(true);
    expect(split.columns.some((c) => engineered.includes(c.name))).toBe(false);
    expect(sum(split.columns.map((c) => c.logOdds))).toBeCloseTo(
      sum(grouped.columns.map((c) => c.logOdds)),
      9,
    );
  });

  it("uses a fixed threshold when given one and is deterministic for a seed", () => {
    const options = {
      schema,
      frame,
      labels,
      algorithm: "gradient_boosting" as const,
      algorithmOptions: small,
      threshold: 0.4,
      seed: 3,
    };
    const a = trainChurnModel(options);
    const b = trainChurnModel(options);
    expect(a.threshold).toBe(0.4);
    expect(a.metadata.thresholdObjective).toBe("fixed");
    expect(a.metadata.crossValidation).toBeNull();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("fits on the given rows only", () => {
    const rows = Array.from({ length: 300 }, (_, i) => i);
    const m = trainChurnModel({
      schema,
      frame,
      labels,
      rows,
      algorithm: "logistic_regression",
      threshold: 0.5,
    });
    expect(m.metadata.trainingRows).toBe(300);
  });

  it("rejects a malformed stored model", () => {
    expect(() => ChurnModel.fromJSON({ kind: "something_else" })).toThrow();
  });
});
