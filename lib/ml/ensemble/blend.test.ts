import { describe, expect, it } from "vitest";
import { recordOfRow } from "../../column-record";
import { ChurnModel, trainChurnModel } from "../churn-model";
import { buildTrainingSet, inferSchema, parseCsv } from "../data";
import { crossValidateAlgorithm } from "../evaluate/compare-algorithms";
import { stratifiedKFold } from "../evaluate/split";
import { syntheticChurnCsv, syntheticChurnTable } from "../evaluate/synthetic-churn-table";
import { logit, sigmoid } from "../explain/output-space";
import type { Algorithm } from "../types";
import { blendProbabilities, chooseBlend, crossFitBlend } from "./blend";
import { trainBlend } from "./blend-model";

const csv = parseCsv(syntheticChurnCsv(1500, 21));
const schema = inferSchema(csv);
const { frame, labels } = buildTrainingSet(csv, schema);
const partitions = stratifiedKFold(labels, { folds: 5, seed: 4 });

function member(algorithm: Algorithm, algorithmOptions = {}) {
  const evaluation = crossValidateAlgorithm(schema, frame, labels, algorithm, {
    partitions,
    algorithmOptions,
  });
  const model = trainChurnModel({
    schema,
    frame,
    labels,
    algorithm,
    algorithmOptions,
    threshold: evaluation.summary.threshold,
    importanceRows: 0,
  });
  return { evaluation, model };
}

describe("the blend's weights are fitted out-of-fold", () => {
  // An overfitted forest (one row per leaf) looks perfect on its own training rows.
  const forest = member("random_forest", { random_forest: { maxDepth: 12, minSamplesLeaf: 1, nTrees: 30 } });
  const linear = member("logistic_regression");
  const trained = trainBlend(labels, forest, linear);

  it("chooses the weight on the members' out-of-fold predictions, not their training predictions", () => {
    const oofChoice = chooseBlend(labels, forest.evaluation.result.oof, linear.evaluation.result.oof);
    expect(trained.evaluation.choice).toEqual(oofChoice);
    const inSample = chooseBlend(labels, forest.model.predictFrame(frame), linear.model.predictFrame(frame));
    expect(inSample.weight).toBe(1); // on training predictions the overfitted forest takes everything
    expect(trained.evaluation.choice.weight).toBeLessThan(1);
  });

  it("judges each fold with a weight chosen without that fold's rows", () => {
    const a = Float64Array.from(forest.evaluation.result.oof);
    const b = linear.evaluation.result.oof;
    const before = crossFitBlend(labels, a, b, partitions);
    // Make the first member perfect on fold 0: the other folds, which choose with fold 0's rows,
    // now favour it; fold 0's own weight must not move.
    for (const r of partitions[0].validation) a[r] = labels[r] ? 0.99 : 0.01;
    const after = crossFitBlend(labels, a, b, partitions);
    expect(after.foldChoices[0]).toEqual(before.foldChoices[0]);
    for (let k = 1; k < 5; k++)
      expect(after.foldChoices[k].weight).toBeGreaterThan(before.foldChoices[k].weight);
  });

  it("reports the cross-fitted fold AUCs as the blend's CV AUC", () => {
    const mean = trained.evaluation.foldAucs.reduce((s, v) => s + v, 0) / 5;
    expect(trained.summary.cvAuc).toBeCloseTo(mean, 12);
    expect(trained.summary.algorithm).toBe("blend");
    expect(trained.summary.members).toEqual(["random_forest", "logistic_regression"]);
  });
});

describe("a blend scores, explains and stores like any model", () => {
  // A standardised linear model and an unstandardised boosting model share one encoding.
  const boosting = member("gradient_boosting");
  const linear = member("logistic_regression");
  const trained = trainBlend(labels, linear, boosting);
  const table = syntheticChurnTable(40, 99);
  const records = table.rows.map((row) => recordOfRow(table.columns, row));

  it("predicts the weighted combination of its members' predictions", () => {
    const { weight, space } = trained.evaluation.choice;
    const expected = blendProbabilities(
      linear.model.predict(records).map((p) => p.riskScore),
      boosting.model.predict(records).map((p) => p.riskScore),
      weight,
      space,
    );
    trained.model.predict(records).forEach((p, i) => {
      expect(p.riskScore).toBeCloseTo(expected[i], 12);
    });
  });

  it("explains additively: base + contributions = the blended output", () => {
    for (const e of trained.model.explain(records)) {
      const margin = e.base.logOdds + e.features.reduce((s, c) => s + c.logOdds, 0);
      expect(margin).toBeCloseTo(logit(e.riskScore), 8);
      const probability = e.base.probability + e.columns.reduce((s, c) => s + c.probability, 0);
      expect(probability).toBeCloseTo(e.riskScore, 8);
      expect(sigmoid(e.margin)).toBeCloseTo(e.riskScore, 12);
    }
  });

  it("round-trips through JSON with identical scores", () => {
    const restored = ChurnModel.fromJSON(JSON.stringify(trained.model.toJSON()));
    expect(restored.algorithm).toBe("blend");
    expect(restored.predict(records)).toEqual(trained.model.predict(records));
    expect(restored.threshold).toBe(trained.summary.threshold);
  });

  it("refuses members cross-validated on different folds", () => {
    const other = crossValidateAlgorithm(schema, frame, labels, "svm", {
      partitions: stratifiedKFold(labels, { folds: 5, seed: 5 }),
    });
    expect(() => trainBlend(labels, linear, { evaluation: other, model: linear.model })).toThrow(
      /different folds/,
    );
  });
});

describe("hostile column names through tuning and the blend", () => {
  it("tunes, blends and explains a table whose columns are called __proto__ and constructor", () => {
    const text = syntheticChurnCsv(900, 8).replace("region", "__proto__").replace("paperless", "constructor");
    const hostile = parseCsv(text);
    const hostileSchema = inferSchema(hostile);
    const set = buildTrainingSet(hostile, hostileSchema);
    const folds = stratifiedKFold(set.labels, { folds: 3, seed: 1 });
    const fitted = (algorithm: Algorithm) => {
      const evaluation = crossValidateAlgorithm(hostileSchema, set.frame, set.labels, algorithm, {
        partitions: folds,
        tuning: "quick",
      });
      const model = trainChurnModel({
        schema: hostileSchema,
        frame: set.frame,
        labels: set.labels,
        algorithm,
        threshold: 0.5,
        importanceRows: 0,
      });
      return { evaluation, model };
    };
    const trained = trainBlend(set.labels, fitted("random_forest"), fitted("logistic_regression"));
    const record = recordOfRow(
      ["tenure", "contract", "monthly_charges", "total_charges", "__proto__", "constructor"],
      ["3", "Month-to-month", "99.5", "298.5", "North", "Yes"],
    );
    const [explained] = ChurnModel.fromJSON(JSON.stringify(trained.model.toJSON())).explain([record]);
    const names = explained.columns.map((c) => c.name);
    expect(names).toContain("__proto__");
    expect(names).toContain("constructor");
    expect(explained.warnings).toEqual([]);
    expect(Object.getPrototypeOf(record)).toBeNull();
  });
});
