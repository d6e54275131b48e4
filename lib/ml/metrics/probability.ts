import type { Labels } from "../types";
import { checkLengths } from "./cumulative-counts";

/** Same clipping as scikit-learn so a single confident mistake gives a large but finite loss. */
const EPSILON = 1e-15;

/** Mean negative log-likelihood (natural log) of the true labels. */
export function logLoss(y: Labels, proba: ArrayLike<number>): number {
  checkLengths(y, proba);
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const p = Math.min(1 - EPSILON, Math.max(EPSILON, proba[i]));
    sum -= y[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / y.length;
}

/** Mean squared difference between P(churn) and the 0/1 outcome. */
export function brierScore(y: Labels, proba: ArrayLike<number>): number {
  checkLengths(y, proba);
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const d = proba[i] - y[i];
    sum += d * d;
  }
  return sum / y.length;
}
