/**
 * Platt scaling (Platt 1999): P(churn | f) = sigmoid(a * f + b), fitted by Newton's method with
 * backtracking on Platt's regularised targets, following the numerically stable algorithm of Lin,
 * Weng & Lin (2007), "A note on Platt's probabilistic outputs for support vector machines".
 * In-house: a 2-parameter Newton solve; reusable by any score that needs calibrating.
 * Sign convention: a > 0 when larger scores mean churn (Platt writes 1 / (1 + exp(A f + B)), A = -a).
 */
import type { Labels } from "../types";
import { sigmoid, softplus } from "./fit-inputs";

export interface PlattParameters {
  readonly a: number;
  readonly b: number;
}

export interface PlattOptions {
  maxIterations: number;
  /** Stop when both gradient components are below this (Lin et al. use 1e-5). */
  tolerance: number;
}

export const PLATT_DEFAULTS: Readonly<PlattOptions> = Object.freeze({ maxIterations: 100, tolerance: 1e-5 });

/**
 * Fits a and b on (score, label) pairs, which should be out-of-sample scores: in-sample decision
 * values of a large-margin model are over-confident. Weights are rescaled to mean 1 so that Platt's
 * prior targets (N+ + 1) / (N+ + 2) and 1 / (N- + 2) keep their meaning in row units.
 */
export function fitPlatt(
  scores: Float64Array,
  y: Labels,
  sampleWeight?: Float64Array,
  options: Partial<PlattOptions> = {},
): PlattParameters {
  const { maxIterations, tolerance } = { ...PLATT_DEFAULTS, ...options };
  const n = scores.length;
  if (y.length !== n) throw new Error(`Got ${y.length} labels for ${n} scores`);
  const w = new Float64Array(n);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    w[i] = sampleWeight ? sampleWeight[i] : 1;
    totalWeight += w[i];
  }
  if (!(totalWeight > 0)) throw new Error("Platt scaling needs at least one row with positive weight");
  let positives = 0;
  let negatives = 0;
  for (let i = 0; i < n; i++) {
    w[i] *= n / totalWeight;
    if (y[i] === 1) positives += w[i];
    else negatives += w[i];
  }
  const hiTarget = (positives + 1) / (positives + 2);
  const loTarget = 1 / (negatives + 2);
  const target = new Float64Array(n);
  for (let i = 0; i < n; i++) target[i] = y[i] === 1 ? hiTarget : loTarget;

  const loss = (a: number, b: number): number => {
    let value = 0;
    for (let i = 0; i < n; i++) {
      const m = a * scores[i] + b;
      value += w[i] * (softplus(m) - target[i] * m);
    }
    return value;
  };

  let a = 0;
  let b = Math.log((positives + 1) / (negatives + 1));
  let current = loss(a, b);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    // The 1e-12 ridge keeps the 2 x 2 Hessian invertible when every score is identical.
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const f = scores[i];
      const p = sigmoid(a * f + b);
      const d1 = w[i] * (p - target[i]);
      const d2 = w[i] * p * (1 - p);
      g1 += f * d1;
      g2 += d1;
      h11 += f * f * d2;
      h22 += d2;
      h21 += f * d2;
    }
    if (Math.abs(g1) < tolerance && Math.abs(g2) < tolerance) break;
    const det = h11 * h22 - h21 * h21;
    const da = -(h22 * g1 - h21 * g2) / det;
    const db = -(-h21 * g1 + h11 * g2) / det;
    const slope = g1 * da + g2 * db;
    let step = 1;
    while (step >= 1e-10) {
      const value = loss(a + step * da, b + step * db);
      if (value < current + 1e-4 * step * slope) {
        a += step * da;
        b += step * db;
        current = value;
        break;
      }
      step /= 2;
    }
    // Line search failure: the loss cannot be decreased further in double precision.
    if (step < 1e-10) break;
  }
  return { a, b };
}

/** Calibrated log-odds a * f + b. */
export function plattMargin(params: PlattParameters, score: number): number {
  return params.a * score + params.b;
}

export function plattProbability(params: PlattParameters, score: number): number {
  return sigmoid(params.a * score + params.b);
}
