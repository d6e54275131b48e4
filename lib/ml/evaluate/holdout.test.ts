import { describe, expect, it } from "vitest";
import { buildTrainingSet, inferSchema } from "../data";
import { evaluateHoldout } from "./holdout";
import { syntheticChurnTable } from "./synthetic-churn-table";

describe("evaluateHoldout", () => {
  const table = syntheticChurnTable(400, 21);
  // Every 10th customer gets a unique, extreme tenure, so the test part surely holds some of them.
  table.rows.forEach((row, i) => {
    if (i % 10 === 0) row[1] = String(500 + i);
  });
  const schema = inferSchema(table);
  const { frame, labels } = buildTrainingSet(table, schema);
  const result = evaluateHoldout({
    schema,
    frame,
    labels,
    algorithm: "logistic_regression",
    folds: 3,
    seed: 4,
  });

  it("holds out a stratified 20 % and fits on the rest only", () => {
    expect(result.split.validation.length).toBe(80);
    expect(result.model.metadata.trainingRows).toBe(320);
  });

  it("never lets a test row shape the feature pipeline", () => {
    const tenure = frame.columns.find((c) => c.name === "tenure");
    if (tenure?.kind !== "numeric") throw new Error("tenure should be numeric");
    const maxOf = (rows: Uint32Array) => Math.max(...Array.from(rows, (r) => tenure.values[r]));
    const learned = result.model.pipeline.describeInputs().find((d) => d.name === "tenure");
    expect(learned?.max).toBe(maxOf(result.split.train));
    expect(maxOf(result.split.validation)).not.toBe(learned?.max);
  });

  it("reports test metrics at the model's threshold and compact curves", () => {
    expect(result.test.rows).toBe(80);
    expect(result.test.threshold).toBe(result.model.threshold);
    expect(result.test.rocAuc).toBeGreaterThan(0.7);
    expect(result.curves.roc.length).toBeLessThanOrEqual(100);
    expect(result.curves.lift).toHaveLength(10);
  });
});
