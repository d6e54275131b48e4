import type { Labels } from "../types";
import { metricsFromConfusion } from "./classification";
import { cumulativeCounts } from "./cumulative-counts";

/**
 * Decision-threshold selection, meant for out-of-fold predictions so that the threshold is
 * chosen without ever looking at the rows it will be judged on.
 */

export interface RetentionEconomics {
  /** Cost of making a retention offer to one customer (paid for everyone contacted). */
  readonly offerCost: number;
  /** Probability that a customer who would have churned accepts the offer and stays. */
  readonly acceptanceRate: number;
  /** Value kept when a would-be churner is retained (e.g. margin over the next year). */
  readonly customerValue: number;
}

/**
 * "f1": max churn-class F1 (the default: churn is the class the business acts on).
 * "f1_weighted": max support-weighted F1 of both classes (favours fewer, surer churn calls).
 * "profit": max expected profit of contacting the flagged customers (expectedProfit).
 */
export type ThresholdObjective =
  | { readonly kind: "f1" }
  | { readonly kind: "f1_weighted" }
  | ({ readonly kind: "profit" } & RetentionEconomics);

export interface ThresholdChoice {
  readonly threshold: number;
  readonly objective: ThresholdObjective["kind"];
  /** The objective's value at the threshold (an F1, or expected profit in currency). */
  readonly score: number;
  /** How many rows would be called churn. */
  readonly flagged: number;
}

/**
 * Expected profit of contacting the flagged customers:
 *   profit = TP * (acceptanceRate * customerValue - offerCost) - FP * offerCost
 * A contacted churner is retained with probability acceptanceRate (worth customerValue) and
 * costs the offer; a contacted non-churner only costs the offer. Uncontacted customers add 0,
 * so "contact nobody" (profit 0) is always a candidate.
 */
export function expectedProfit(truePositives: number, falsePositives: number, e: RetentionEconomics): number {
  return truePositives * (e.acceptanceRate * e.customerValue - e.offerCost) - falsePositives * e.offerCost;
}

/**
 * Scans every distinct score as a cut (rows with score >= cut are called churn) and returns the
 * best one. The returned threshold is the midpoint between the chosen cut and the next lower
 * distinct score, so new rows falling in the gap are not decided by an accident of the sample.
 * Ties in the objective go to the higher threshold (fewer customers contacted).
 */
export function selectThreshold(
  y: Labels,
  proba: ArrayLike<number>,
  objective: ThresholdObjective = { kind: "f1" },
): ThresholdChoice {
  const { thresholds, tp, fp, positives, negatives } = cumulativeCounts(y, proba);
  // Cut -1 = nobody flagged: worth 0 profit (and 0 F1).
  let bestK = -1;
  let bestScore = objective.kind === "profit" ? 0 : Number.NEGATIVE_INFINITY;
  for (let k = 0; k < thresholds.length; k++) {
    let score: number;
    if (objective.kind === "profit") {
      score = expectedProfit(tp[k], fp[k], objective);
    } else {
      const m = metricsFromConfusion({
        threshold: thresholds[k],
        truePositives: tp[k],
        falsePositives: fp[k],
        falseNegatives: positives - tp[k],
        trueNegatives: negatives - fp[k],
      });
      score = objective.kind === "f1" ? m.f1 : m.f1Weighted;
    }
    if (score > bestScore) {
      bestScore = score;
      bestK = k;
    }
  }
  if (bestK === -1) {
    // Nobody worth contacting: a threshold above every score.
    return { threshold: thresholds[0] + 1e-9, objective: objective.kind, score: 0, flagged: 0 };
  }
  const next = bestK + 1 < thresholds.length ? thresholds[bestK + 1] : thresholds[bestK];
  return {
    threshold: (thresholds[bestK] + next) / 2,
    objective: objective.kind,
    score: bestScore,
    flagged: tp[bestK] + fp[bestK],
  };
}
