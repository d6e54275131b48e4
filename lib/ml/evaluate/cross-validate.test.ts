import { describe, expect, it } from "vitest";
import { classificationMetrics } from "../metrics";
import { balanceStage } from "./balancing";
import { crossValidate } from "./cross-validate";
import type { BalanceStage } from "./stages";
import { selectChampion, summarizeCrossValidation } from "./summarize";
import { SpyBalance, SpyClassifier, SpyFeatures, syntheticRows } from "./test-fixtures";

describe("crossValidate (leakage)", () => {
  const { data, y } = syntheticRows(300, 7);
  const features = new SpyFeatures();
  const balance = new SpyBalance();
  SpyClassifier.fittedIds.length = 0;
  const result = crossValidate({
    data,
    y,
    features,
    balance,
    createClassifier: () => new SpyClassifier(),
    folds: 5,
  });

  it("fits the feature stage on training rows only", () => {
    result.partitions.forEach(({ validation }, k) => {
      const fitted = new Set(features.fittedOn[k]);
      for (const v of validation) expect(fitted.has(v)).toBe(false);
      expect(features.fittedOn[k].length).toBe(300 - validation.length);
    });
  });
  it("never shows a validation row to balancing (SMOTE) or to the classifier", () => {
    result.partitions.forEach(({ validation }, k) => {
      const held = new Set(validation);
      expect(balance.sawIds[k].some((id) => held.has(id))).toBe(false);
      expect(SpyClassifier.fittedIds[k].some((id) => held.has(id))).toBe(false);
    });
  });
  it("fits the classifier on the balanced rows", () => {
    for (const fold of result.folds) expect(fold.fittedRows).toBeGreaterThan(fold.trainRows);
    expect(result.balancing).toBe("spy");
  });
  it("predicts every row exactly once, out of fold", () => {
    expect(result.oof.every((p) => p > 0 && p < 1)).toBe(true);
    expect(result.folds.reduce((a, f) => a + f.validationRows, 0)).toBe(300);
  });
});

describe("crossValidate with the real SMOTE stage", () => {
  it("oversamples inside the training fold only", () => {
    const { data, y } = syntheticRows(200, 5);
    const smote = balanceStage("smote");
    const seen: number[][] = [];
    const spy: BalanceStage = {
      name: smote.name,
      apply(X, labels, context) {
        seen.push(Array.from({ length: X.rows }, (_, r) => X.data[r * X.cols]));
        return smote.apply(X, labels, context);
      },
    };
    const result = crossValidate({
      data,
      y,
      features: new SpyFeatures(),
      balance: spy,
      createClassifier: () => new SpyClassifier(),
      folds: 4,
    });
    expect(result.balancing).toBe("smote");
    result.partitions.forEach(({ train, validation }, k) => {
      const held = new Set(validation);
      expect(seen[k].some((id) => held.has(id))).toBe(false);
      expect(seen[k]).toHaveLength(train.length);
      expect(result.folds[k].fittedRows).toBeGreaterThan(train.length);
    });
  });
});

describe("summarizeCrossValidation", () => {
  const { data, y } = syntheticRows(400, 3);
  const result = crossValidate({
    data,
    y,
    features: new SpyFeatures(),
    createClassifier: () => new SpyClassifier(),
    folds: 4,
    seed: 9,
  });
  const summary = summarizeCrossValidation(result, y);

  it("reports the mean and spread of the fold AUCs", () => {
    const aucs = result.folds.map((f) => f.auc);
    const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
    expect(summary.cvAuc).toBeCloseTo(mean, 12);
    expect(summary.cvAucStd).toBeGreaterThan(0);
    // One-unit shift in a unit-noise signal: AUC = Phi(1/sqrt 2) ~ 0.76.
    expect(summary.cvAuc).toBeGreaterThan(0.68);
    expect(summary.cvAuc).toBeLessThan(0.84);
    expect(summary.folds).toBe(4);
  });
  it("picks a threshold on out-of-fold predictions and reports F1 in range", () => {
    expect(summary.threshold).toBeGreaterThan(0);
    expect(summary.threshold).toBeLessThan(1);
    expect(summary.f1Churn).toBeGreaterThan(0.3);
    expect(summary.f1Weighted).toBeGreaterThan(summary.f1Churn);
  });
  it("sets the threshold that maximises churn-class F1 on the out-of-fold predictions", () => {
    const atChosen = classificationMetrics(y, result.oof, summary.threshold).f1;
    for (let t = 0.05; t < 0.96; t += 0.01) {
      expect(classificationMetrics(y, result.oof, t).f1).toBeLessThanOrEqual(atChosen + 1e-12);
    }
  });
  it("reports weighted and churn-class F1 at 0.5 beside the chosen threshold's", () => {
    const atHalf = classificationMetrics(y, result.oof, 0.5);
    expect(summary.f1WeightedAtHalf).toBeCloseTo(atHalf.f1Weighted, 12);
    expect(summary.f1ChurnAtHalf).toBeCloseTo(atHalf.f1, 12);
    // The spy's scores put the F1-optimal threshold well away from 0.5, so the two differ.
    expect(summary.f1ChurnAtHalf).not.toBeCloseTo(summary.f1Churn, 3);
  });
  it("is deterministic for a seed", () => {
    const again = crossValidate({
      data,
      y,
      features: new SpyFeatures(),
      createClassifier: () => new SpyClassifier(),
      folds: 4,
      seed: 9,
    });
    expect(again.oof).toEqual(result.oof);
  });
});

describe("selectChampion", () => {
  it("takes the best CV AUC and ignores NaN", () => {
    const champion = selectChampion([
      { name: "a", cvAuc: Number.NaN, fitSeconds: 1 },
      { name: "b", cvAuc: 0.8, fitSeconds: 1 },
      { name: "c", cvAuc: 0.84, fitSeconds: 3 },
      { name: "d", cvAuc: 0.84, fitSeconds: 2 },
    ]);
    expect(champion.name).toBe("d");
  });
});
