/**
 * "Balanced" class weights (scikit-learn's class_weight="balanced"): w_c = n / (2 * n_c), so both
 * classes carry the same total weight, expressed as one weight per row (FitOptions.sampleWeight).
 * The alternative to SMOTE that adds no rows.
 */
import type { Labels } from "../types";

export interface ClassWeights {
  /** Weight of a retained (0) row. */
  negative: number;
  /** Weight of a churned (1) row. */
  positive: number;
}

export function balancedClassWeights(y: Labels): ClassWeights {
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i];
  const negatives = y.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new Error("Balanced class weights need rows of both classes");
  }
  return { negative: y.length / (2 * negatives), positive: y.length / (2 * positives) };
}

/** Per-row weights from balancedClassWeights, aligned with `y`. */
export function balancedSampleWeights(y: Labels): Float64Array {
  const { negative, positive } = balancedClassWeights(y);
  const weights = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) weights[i] = y[i] === 1 ? positive : negative;
  return weights;
}
