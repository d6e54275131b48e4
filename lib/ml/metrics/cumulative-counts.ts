import type { Labels } from "../types";

/**
 * True/false positive counts when every row scoring >= thresholds[k] is called churn, one entry
 * per distinct score in descending order. Tied scores share one entry, which is what makes the
 * ROC and PR curves (and AUC) treat ties the way scikit-learn does.
 */
export interface CumulativeCounts {
  /** Distinct scores, descending. */
  readonly thresholds: Float64Array;
  /** tp[k] = positives with score >= thresholds[k]. */
  readonly tp: Float64Array;
  /** fp[k] = negatives with score >= thresholds[k]. */
  readonly fp: Float64Array;
  readonly positives: number;
  readonly negatives: number;
}

export function checkLengths(y: Labels, scores: ArrayLike<number>): void {
  if (y.length !== scores.length) {
    throw new Error(`Got ${y.length} labels but ${scores.length} scores`);
  }
  if (y.length === 0) throw new Error("Cannot compute a metric on zero rows");
}

/** Row indices sorted by score, highest first (stable, so equal scores keep row order). */
export function orderByScoreDescending(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order;
}

export function cumulativeCounts(y: Labels, scores: ArrayLike<number>): CumulativeCounts {
  checkLengths(y, scores);
  const order = orderByScoreDescending(scores);
  const n = order.length;
  const thresholds: number[] = [];
  const tp: number[] = [];
  const fp: number[] = [];
  let positives = 0;
  let negatives = 0;
  for (let i = 0; i < n; i++) {
    const r = order[i];
    if (y[r] === 1) positives++;
    else negatives++;
    // Close a group only after the last row of a run of equal scores.
    if (i === n - 1 || scores[order[i + 1]] !== scores[r]) {
      thresholds.push(scores[r]);
      tp.push(positives);
      fp.push(negatives);
    }
  }
  return {
    thresholds: Float64Array.from(thresholds),
    tp: Float64Array.from(tp),
    fp: Float64Array.from(fp),
    positives,
    negatives,
  };
}
