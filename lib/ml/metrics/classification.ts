import type { Labels } from "../types";
import { checkLengths } from "./cumulative-counts";

/** Counts at a decision threshold; a row is called churn when P(churn) >= threshold. */
export interface ConfusionMatrix {
  readonly threshold: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly trueNegatives: number;
  readonly falseNegatives: number;
}

export interface ClassificationMetrics {
  readonly threshold: number;
  readonly confusion: ConfusionMatrix;
  /** Churn-class (positive) precision, recall and F1. */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Mean of the per-class F1s weighted by class support (scikit-learn's average="weighted"). */
  readonly f1Weighted: number;
  readonly accuracy: number;
}

export function confusionMatrix(y: Labels, proba: ArrayLike<number>, threshold = 0.5): ConfusionMatrix {
  checkLengths(y, proba);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < y.length; i++) {
    const predicted = proba[i] >= threshold;
    if (y[i] === 1) {
      if (predicted) tp++;
      else fn++;
    } else if (predicted) fp++;
    else tn++;
  }
  return { threshold, truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn };
}

/** Zero when undefined (no predicted or no actual positives), as scikit-learn's zero_division=0. */
function safeDivide(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

function f1From(tp: number, fp: number, fn: number): number {
  return safeDivide(2 * tp, 2 * tp + fp + fn);
}

export function metricsFromConfusion(c: ConfusionMatrix): ClassificationMetrics {
  const { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn } = c;
  const n = tp + fp + tn + fn;
  const positives = tp + fn;
  const negatives = tn + fp;
  const f1 = f1From(tp, fp, fn);
  // The retained class's F1 swaps the roles: its true positives are our true negatives.
  const f1Retained = f1From(tn, fn, fp);
  return {
    threshold: c.threshold,
    confusion: c,
    precision: safeDivide(tp, tp + fp),
    recall: safeDivide(tp, positives),
    f1,
    f1Weighted: safeDivide(positives * f1 + negatives * f1Retained, n),
    accuracy: safeDivide(tp + tn, n),
  };
}

export function classificationMetrics(
  y: Labels,
  proba: ArrayLike<number>,
  threshold = 0.5,
): ClassificationMetrics {
  return metricsFromConfusion(confusionMatrix(y, proba, threshold));
}
