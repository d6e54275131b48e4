import type { Labels } from "../types";
import { checkLengths, cumulativeCounts, orderByScoreDescending } from "./cumulative-counts";

/**
 * Curve points small enough to store as JSON beside a model (a few KB): every curve is computed
 * exactly and then thinned to at most `maxPoints` points, always keeping both end points.
 */

export interface RocPoint {
  readonly fpr: number;
  readonly tpr: number;
  /** Rows with P(churn) >= threshold are called churn; Infinity for the (0, 0) start. */
  readonly threshold: number;
}

export interface PrPoint {
  readonly recall: number;
  readonly precision: number;
  readonly threshold: number;
}

export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

export interface LiftRow {
  /** 1 = the 10 % of customers with the highest risk. */
  readonly decile: number;
  readonly customers: number;
  readonly churners: number;
  readonly churnRate: number;
  /** churnRate / overall churn rate. */
  readonly lift: number;
  /** Share of all churners found in deciles 1..decile. */
  readonly cumulativeGain: number;
  readonly cumulativeLift: number;
}

export const DEFAULT_MAX_CURVE_POINTS = 100;

/**
 * Keep at most maxPoints items, evenly spaced by index, first and last always included. Curves
 * here are monotone in their x order, so even index spacing keeps their shape.
 */
export function downsample<T>(points: readonly T[], maxPoints = DEFAULT_MAX_CURVE_POINTS): T[] {
  if (points.length <= maxPoints) return points.slice();
  if (maxPoints < 2) return [points[0]];
  const out: T[] = [];
  let last = -1;
  for (let i = 0; i < maxPoints; i++) {
    const index = Math.round((i * (points.length - 1)) / (maxPoints - 1));
    if (index !== last) out.push(points[index]);
    last = index;
  }
  return out;
}

function round(value: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function rocCurve(
  y: Labels,
  scores: ArrayLike<number>,
  maxPoints = DEFAULT_MAX_CURVE_POINTS,
): RocPoint[] {
  const { thresholds, tp, fp, positives, negatives } = cumulativeCounts(y, scores);
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Number.POSITIVE_INFINITY }];
  for (let k = 0; k < thresholds.length; k++) {
    points.push({
      fpr: negatives === 0 ? 0 : round(fp[k] / negatives),
      tpr: positives === 0 ? 0 : round(tp[k] / positives),
      threshold: round(thresholds[k]),
    });
  }
  return downsample(points, maxPoints);
}

export function precisionRecallCurve(
  y: Labels,
  scores: ArrayLike<number>,
  maxPoints = DEFAULT_MAX_CURVE_POINTS,
): PrPoint[] {
  const { thresholds, tp, fp, positives } = cumulativeCounts(y, scores);
  const points: PrPoint[] = [];
  for (let k = 0; k < thresholds.length; k++) {
    points.push({
      recall: positives === 0 ? 0 : round(tp[k] / positives),
      precision: round(tp[k] / (tp[k] + fp[k])),
      threshold: round(thresholds[k]),
    });
  }
  return downsample(points, maxPoints);
}

/** Equal-width probability bins (reliability diagram); empty bins are left out. */
export function calibrationCurve(y: Labels, proba: ArrayLike<number>, bins = 10): CalibrationBin[] {
  checkLengths(y, proba);
  const count = new Float64Array(bins);
  const sumPredicted = new Float64Array(bins);
  const sumObserved = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(proba[i] * bins)));
    count[b]++;
    sumPredicted[b] += proba[i];
    sumObserved[b] += y[i];
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    out.push({
      lower: round(b / bins),
      upper: round((b + 1) / bins),
      count: count[b],
      meanPredicted: round(sumPredicted[b] / count[b]),
      observedRate: round(sumObserved[b] / count[b]),
    });
  }
  return out;
}

/**
 * Lift and cumulative gain by risk decile: rows sorted by score (highest first) and cut into ten
 * groups of as equal size as possible (row i goes to group floor(10 i / n)).
 */
export function liftByDecile(y: Labels, scores: ArrayLike<number>, groups = 10): LiftRow[] {
  checkLengths(y, scores);
  const order = orderByScoreDescending(scores);
  const n = order.length;
  const customers = new Float64Array(groups);
  const churners = new Float64Array(groups);
  let totalChurners = 0;
  for (let i = 0; i < n; i++) {
    const g = Math.floor((i * groups) / n);
    customers[g]++;
    churners[g] += y[order[i]];
    totalChurners += y[order[i]];
  }
  const baseRate = totalChurners / n;
  const out: LiftRow[] = [];
  let cumulativeCustomers = 0;
  let cumulativeChurners = 0;
  for (let g = 0; g < groups; g++) {
    if (customers[g] === 0) continue;
    cumulativeCustomers += customers[g];
    cumulativeChurners += churners[g];
    const churnRate = churners[g] / customers[g];
    out.push({
      decile: g + 1,
      customers: customers[g],
      churners: churners[g],
      churnRate: round(churnRate),
      lift: baseRate === 0 ? 0 : round(churnRate / baseRate),
      cumulativeGain: totalChurners === 0 ? 0 : round(cumulativeChurners / totalChurners),
      cumulativeLift: baseRate === 0 ? 0 : round(cumulativeChurners / cumulativeCustomers / baseRate),
    });
  }
  return out;
}
