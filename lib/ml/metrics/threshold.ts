import type { Labels } from "../types";
import { metricsFromConfusion } from "./classification";
import { cumulativeCounts, orderByScoreDescending } from "./cumulative-counts";

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

// ─── Planning a retention campaign on customers whose outcome is not known yet ────────────────

/**
 * The same economics as expectedProfit, for active customers: their labels are unknown, so each
 * contacted customer counts as a churner with its churn probability p. With a per-customer value
 * v, contacting the top N earns Σ p·acceptanceRate·v and costs N·offerCost:
 *   expectedProfit(Σp, N − Σp, { customerValue: v }) when every v is the same.
 */
export interface ContactEconomics {
  readonly offerCost: number;
  readonly acceptanceRate: number;
}

/**
 * "risk": the N customers most likely to churn. "expected_value": the N with the largest expected
 * saved value p × value × acceptanceRate — the same list when every customer is worth the same,
 * a better one when values differ.
 */
export const CONTACT_RANKINGS = ["risk", "expected_value"] as const;
export type ContactRanking = (typeof CONTACT_RANKINGS)[number];

export interface ContactPlanOptions {
  ranking?: ContactRanking;
  /** At most this many contacts (a budget cap: floor(budget / offerCost)). */
  maxContacts?: number;
  /**
   * Lower and upper churn probability of each customer (the calibration range): the plan reports
   * the saved value and profit of the chosen N at both ends.
   */
  bounds?: { readonly lower: ArrayLike<number>; readonly upper: ArrayLike<number> };
  /** Points kept on the returned curve (the best N and both ends always kept). Default 200. */
  maxCurvePoints?: number;
}

export interface ContactOutcome {
  /** Customers contacted (the top N of the ranking). */
  contacted: number;
  cost: number;
  /** Expected churners among them (Σ p). */
  expectedChurners: number;
  /** Expected revenue kept: Σ p × acceptanceRate × value. */
  savedValue: number;
  profit: number;
  /** Ranking value of the last customer contacted (a risk, or an expected saved value); null for N = 0. */
  cutoff: number | null;
  /** Lowest risk among those contacted; null for N = 0. */
  minRisk: number | null;
  /** The same at the lower and upper calibration bound, when bounds were given. */
  savedLower?: number;
  savedUpper?: number;
  profitLower?: number;
  profitUpper?: number;
}

export interface ContactPlan {
  ranking: ContactRanking;
  /** Customer indices in contact order (all of them; the plan contacts the first best.contacted). */
  order: Uint32Array;
  /** The N with the highest expected profit within maxContacts (ties: fewer contacts). */
  best: ContactOutcome;
  /** Expected outcome of contacting the top N, for N from 0 to maxContacts, thinned. */
  curve: ContactOutcome[];
  /** maxContacts as applied (≤ customers). */
  maxContacts: number;
  /** The outcome of contacting the top k (clamped to 0..maxContacts): a manager may choose fewer than the best N. */
  outcomeAt(k: number): ContactOutcome;
}

/**
 * Scans "contact the top N" for every N (one pass over the ranked customers after a sort) and
 * returns the most profitable N. Contacting nobody (profit 0) is always a candidate.
 */
export function planContacts(
  proba: ArrayLike<number>,
  values: ArrayLike<number>,
  economics: ContactEconomics,
  options: ContactPlanOptions = {},
): ContactPlan {
  if (proba.length !== values.length)
    throw new Error(`Got ${proba.length} risks but ${values.length} values`);
  const n = proba.length;
  const ranking = options.ranking ?? "risk";
  const { offerCost, acceptanceRate } = economics;
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) key[i] = ranking === "risk" ? proba[i] : proba[i] * values[i] * acceptanceRate;
  const order = orderByScoreDescending(key);
  const maxContacts = Math.max(0, Math.min(n, Math.floor(options.maxContacts ?? n)));
  const bounds = options.bounds;

  // Prefix sums over the ranked customers: entry k describes contacting the first k.
  const churners = new Float64Array(maxContacts + 1);
  const saved = new Float64Array(maxContacts + 1);
  const savedLow = bounds ? new Float64Array(maxContacts + 1) : null;
  const savedHigh = bounds ? new Float64Array(maxContacts + 1) : null;
  const minRisk = new Float64Array(maxContacts + 1);
  minRisk[0] = Number.POSITIVE_INFINITY;
  let best = 0;
  let bestProfit = 0;
  for (let k = 1; k <= maxContacts; k++) {
    const i = order[k - 1];
    churners[k] = churners[k - 1] + proba[i];
    saved[k] = saved[k - 1] + proba[i] * acceptanceRate * values[i];
    if (bounds && savedLow && savedHigh) {
      savedLow[k] = savedLow[k - 1] + bounds.lower[i] * acceptanceRate * values[i];
      savedHigh[k] = savedHigh[k - 1] + bounds.upper[i] * acceptanceRate * values[i];
    }
    minRisk[k] = Math.min(minRisk[k - 1], proba[i]);
    const profit = saved[k] - k * offerCost;
    if (profit > bestProfit) {
      bestProfit = profit;
      best = k;
    }
  }
  const outcome = (k: number): ContactOutcome => {
    const cost = k * offerCost;
    const out: ContactOutcome = {
      contacted: k,
      cost,
      expectedChurners: churners[k],
      savedValue: saved[k],
      profit: saved[k] - cost,
      cutoff: k === 0 ? null : key[order[k - 1]],
      minRisk: k === 0 ? null : minRisk[k],
    };
    if (savedLow && savedHigh) {
      out.savedLower = savedLow[k];
      out.savedUpper = savedHigh[k];
      out.profitLower = savedLow[k] - cost;
      out.profitUpper = savedHigh[k] - cost;
    }
    return out;
  };
  const points = Math.max(2, options.maxCurvePoints ?? 200);
  const ks = new Set<number>([0, maxContacts, best]);
  for (let p = 0; p < points; p++) ks.add(Math.round((p * maxContacts) / (points - 1)));
  const curve = [...ks].sort((a, b) => a - b).map(outcome);
  const outcomeAt = (k: number) => outcome(Math.max(0, Math.min(maxContacts, Math.floor(k))));
  return { ranking, order, best: outcome(best), curve, maxContacts, outcomeAt };
}
