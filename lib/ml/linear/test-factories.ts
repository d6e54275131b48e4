/** Seeded synthetic data sets for this folder's tests. */
import { createRng } from "../random";
import type { Labels, Matrix } from "../types";
import { sigmoid } from "./fit-inputs";

/** Rows with standard-normal features and labels drawn from sigmoid(intercept + coefficients . x). */
export function logisticData(
  rows: number,
  coefficients: number[],
  intercept: number,
  seed: number,
): { X: Matrix; y: Labels } {
  const rng = createRng(seed);
  const d = coefficients.length;
  const data = new Float64Array(rows * d);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    let margin = intercept;
    for (let j = 0; j < d; j++) {
      data[i * d + j] = rng.normal();
      margin += coefficients[j] * data[i * d + j];
    }
    y[i] = rng.next() < sigmoid(margin) ? 1 : 0;
  }
  return { X: { data, rows, cols: d }, y };
}

/** Churn iff the point lies outside a circle of radius 1.2 (plus noise features): no linear signal. */
export function ringData(rows: number, noiseFeatures: number, seed: number): { X: Matrix; y: Labels } {
  const rng = createRng(seed);
  const d = 2 + noiseFeatures;
  const data = new Float64Array(rows * d);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) data[i * d + j] = rng.normal();
    const r2 = data[i * d] ** 2 + data[i * d + 1] ** 2;
    y[i] = r2 > 1.44 ? 1 : 0;
  }
  return { X: { data, rows, cols: d }, y };
}

/** Rank-based ROC AUC (ties averaged); a local copy so these tests do not depend on lib/ml/metrics. */
export function rocAuc(score: Float64Array, y: Labels): number {
  const order = Array.from(score.keys()).sort((a, b) => score[a] - score[b]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && score[order[j]] === score[order[i]]) j++;
    for (let t = i; t < j; t++) {
      if (y[order[t]] === 1) {
        rankSum += (i + j + 1) / 2;
        positives++;
      }
    }
    i = j;
  }
  const negatives = y.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Exact interventional Shapley values by enumerating all 2^d coalitions: v(S) is the weighted mean
 * over background rows b of f(x on S, b elsewhere). The reference the estimators are tested against.
 */
export function bruteForceShapley(
  f: (row: Float64Array) => number,
  x: ArrayLike<number>,
  background: Matrix,
  weights: ArrayLike<number>,
): Float64Array {
  const d = x.length;
  const value = new Float64Array(1 << d);
  const z = new Float64Array(d);
  for (let mask = 0; mask < 1 << d; mask++) {
    let total = 0;
    let weightSum = 0;
    for (let k = 0; k < background.rows; k++) {
      for (let j = 0; j < d; j++) z[j] = mask & (1 << j) ? x[j] : background.data[k * d + j];
      total += weights[k] * f(z);
      weightSum += weights[k];
    }
    value[mask] = total / weightSum;
  }
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const phi = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let mask = 0; mask < 1 << d; mask++) {
      if (mask & (1 << j)) continue;
      let size = 0;
      for (let t = 0; t < d; t++) if (mask & (1 << t)) size++;
      const weight = (factorial(size) * factorial(d - size - 1)) / factorial(d);
      phi[j] += weight * (value[mask | (1 << j)] - value[mask]);
    }
  }
  return phi;
}
