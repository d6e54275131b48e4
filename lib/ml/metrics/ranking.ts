import type { Labels } from "../types";
import { checkLengths, cumulativeCounts } from "./cumulative-counts";

/**
 * Area under the ROC curve via the Mann–Whitney statistic with average ranks for ties, which
 * equals the trapezoid area under the tie-grouped ROC curve (a tied positive/negative pair counts 1/2).
 */
export function rocAuc(y: Labels, scores: ArrayLike<number>): number {
  checkLengths(y, scores);
  const n = y.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    // Ranks i+1 .. j+1 are shared by the tie group: every member gets their mean.
    const averageRank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) {
      if (y[order[k]] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Average precision (the PR AUC scikit-learn reports): sum over distinct thresholds of
 * (recall_k - recall_{k-1}) * precision_k. A step sum, not a trapezoid, because linear
 * interpolation in PR space is optimistic (Davis & Goadrich 2006).
 */
export function averagePrecision(y: Labels, scores: ArrayLike<number>): number {
  const { tp, fp, positives } = cumulativeCounts(y, scores);
  if (positives === 0) return Number.NaN;
  let ap = 0;
  let previousRecall = 0;
  for (let k = 0; k < tp.length; k++) {
    const recall = tp[k] / positives;
    const precision = tp[k] / (tp[k] + fp[k]);
    ap += (recall - previousRecall) * precision;
    previousRecall = recall;
  }
  return ap;
}

/** Alias: "PR AUC" in reports is the average precision. */
export const prAuc = averagePrecision;
