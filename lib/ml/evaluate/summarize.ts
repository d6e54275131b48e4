import { takeLabels } from "../matrix";
import {
  averagePrecision,
  brierScore,
  type ConfusionMatrix,
  confusionMatrix,
  logLoss,
  metricsFromConfusion,
  rocAuc,
  selectThreshold,
  type ThresholdObjective,
} from "../metrics";
import type { Algorithm, Labels } from "../types";
import type { CrossValidationResult } from "./cross-validate";

/** One leaderboard row: what a cross-validated algorithm is worth. */
export interface AlgorithmSummary {
  readonly algorithm: Algorithm;
  readonly balancing: string;
  /** Mean and population standard deviation of the per-fold ROC AUCs. */
  readonly cvAuc: number;
  readonly cvAucStd: number;
  /** AUC of the pooled out-of-fold predictions. */
  readonly oofAuc: number;
  /** Average precision of the pooled out-of-fold predictions. */
  readonly prAuc: number;
  /** Decision threshold chosen on all out-of-fold predictions (what a model fitted on all rows uses). */
  readonly threshold: number;
  /**
   * Churn-class (positive class) F1, precision, recall, and support-weighted F1 / accuracy, each
   * at a threshold the scored rows did not help choose: fold k is judged at the threshold chosen
   * on the other folds' out-of-fold predictions, and the confusion matrices are pooled.
   */
  readonly f1Churn: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1Weighted: number;
  /**
   * Weighted F1 and churn-class F1 of the pooled out-of-fold predictions at the usual 0.5
   * threshold, reported beside the ones at the chosen threshold (issue 15, "the F1 question").
   */
  readonly f1WeightedAtHalf: number;
  readonly f1ChurnAtHalf: number;
  readonly accuracy: number;
  readonly brier: number;
  readonly logLoss: number;
  /** Mean classifier fit time of one fold. */
  readonly fitSeconds: number;
  readonly folds: number;
}

function meanAndStd(values: readonly number[]): [number, number] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return [mean, Math.sqrt(variance)];
}

/** Confusion matrix pooled over folds, each fold at a threshold chosen without its own rows. */
function crossFittedConfusion(
  result: CrossValidationResult,
  y: Labels,
  objective: ThresholdObjective,
): ConfusionMatrix {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  const n = y.length;
  for (const { validation } of result.partitions) {
    const inFold = new Uint8Array(n);
    for (const i of validation) inFold[i] = 1;
    const others: number[] = [];
    for (let i = 0; i < n; i++) if (!inFold[i]) others.push(i);
    const threshold = selectThreshold(
      takeLabels(y, others),
      takeLabels(result.oof, others),
      objective,
    ).threshold;
    const c = confusionMatrix(takeLabels(y, validation), takeLabels(result.oof, validation), threshold);
    tp += c.truePositives;
    fp += c.falsePositives;
    tn += c.trueNegatives;
    fn += c.falseNegatives;
  }
  return {
    threshold: Number.NaN,
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
  };
}

export function summarizeCrossValidation(
  result: CrossValidationResult,
  y: Labels,
  objective: ThresholdObjective = { kind: "f1" },
): AlgorithmSummary {
  const [cvAuc, cvAucStd] = meanAndStd(result.folds.map((f) => f.auc));
  const chosen = selectThreshold(y, result.oof, objective);
  const honest = metricsFromConfusion(crossFittedConfusion(result, y, objective));
  const atHalf = metricsFromConfusion(confusionMatrix(y, result.oof, 0.5));
  return {
    algorithm: result.algorithm,
    balancing: result.balancing,
    cvAuc,
    cvAucStd,
    oofAuc: rocAuc(y, result.oof),
    prAuc: averagePrecision(y, result.oof),
    threshold: chosen.threshold,
    f1Churn: honest.f1,
    precision: honest.precision,
    recall: honest.recall,
    f1Weighted: honest.f1Weighted,
    f1WeightedAtHalf: atHalf.f1Weighted,
    f1ChurnAtHalf: atHalf.f1,
    accuracy: honest.accuracy,
    brier: brierScore(y, result.oof),
    logLoss: logLoss(y, result.oof),
    fitSeconds: meanAndStd(result.folds.map((f) => f.fitSeconds))[0],
    folds: result.folds.length,
  };
}

/** Champion = best cross-validated AUC; ties go to the faster fit. */
export function selectChampion<T extends Pick<AlgorithmSummary, "cvAuc" | "fitSeconds">>(
  summaries: readonly T[],
): T {
  if (summaries.length === 0) throw new Error("No models to choose a champion from");
  const auc = (s: T) => (Number.isNaN(s.cvAuc) ? Number.NEGATIVE_INFINITY : s.cvAuc);
  return summaries.reduce((best, s) =>
    auc(s) > auc(best) || (auc(s) === auc(best) && s.fitSeconds < best.fitSeconds) ? s : best,
  );
}
