/**
 * Challenger vs champion: the rule that decides, from both models' figures on the same held-out
 * rows, whether a scheduled run's challenger replaces the champion. Pure and total: every outcome
 * comes with the reasons shown in the decision history.
 *
 * Automatic promotion needs both: the challenger beats the champion on the chosen metric by at
 * least `margin` (AUC points, or a relative share of expected profit), and its calibration (Brier
 * score, lower is better) is not worse than the champion's by more than `calibrationBound`.
 */

export const PROMOTION_POLICIES = ["manual", "automatic"] as const;
export type PromotionPolicy = (typeof PROMOTION_POLICIES)[number];
export const PROMOTION_METRICS = ["auc", "profit"] as const;
export type PromotionMetric = (typeof PROMOTION_METRICS)[number];

export interface ModelFigures {
  /** ROC AUC on the held-out rows. */
  auc: number;
  /** Brier score on the held-out rows (lower is better). */
  brier: number;
  /** Expected profit of contacting the customers the model flags, when campaign economics exist. */
  profit: number | null;
}

export interface PromotionRule {
  policy: PromotionPolicy;
  metric: PromotionMetric;
  /** AUC: absolute gain (0.005 = half a point). Profit: relative gain (0.02 = 2 %). */
  margin: number;
  /** How much higher the challenger's Brier score may be than the champion's. */
  calibrationBound: number;
}

export type RuleVerdict = "promote" | "keep" | "manual";

export interface RuleDecision {
  verdict: RuleVerdict;
  /** The metric actually compared ("profit" falls back to "auc" without campaign economics). */
  metric: PromotionMetric;
  /** Whether the challenger met both conditions (what the rule would do under "automatic"). */
  isBetter: boolean;
  reasons: string[];
}

const fmt = (value: number, digits = 3) => value.toFixed(digits);
/** The AUC margin used when a profit rule has to fall back to AUC. */
export const FALLBACK_AUC_MARGIN = 0.005;
/** Figures are rounded floats: 0.85 - 0.8 must count as a gain of 0.05. */
const EPSILON = 1e-9;

export function decidePromotion(
  champion: ModelFigures | null,
  challenger: ModelFigures,
  rule: PromotionRule,
): RuleDecision {
  const reasons: string[] = [];
  if (champion === null) {
    reasons.push("There is no champion to compare with: the challenger is the only model.");
    return {
      verdict: rule.policy === "automatic" ? "promote" : "manual",
      metric: rule.metric,
      isBetter: true,
      reasons,
    };
  }
  let metric = rule.metric;
  let margin = rule.margin;
  if (metric === "profit" && (champion.profit === null || challenger.profit === null)) {
    reasons.push("No campaign economics for this dataset: compared on AUC instead of expected profit.");
    metric = "auc";
    margin = FALLBACK_AUC_MARGIN;
  }
  let beats: boolean;
  if (metric === "auc") {
    const gain = challenger.auc - champion.auc;
    beats = gain + EPSILON >= margin;
    reasons.push(
      `AUC ${fmt(challenger.auc)} vs ${fmt(champion.auc)} (${gain >= 0 ? "+" : ""}${fmt(gain)}; needs +${fmt(margin)}): ${beats ? "better" : "not better enough"}.`,
    );
  } else {
    const base = champion.profit as number;
    const next = challenger.profit as number;
    const needed = base + Math.abs(base) * margin;
    beats = next + EPSILON >= needed && next > base;
    reasons.push(
      `Expected profit ${fmt(next, 0)} vs ${fmt(base, 0)} (needs at least ${(rule.margin * 100).toFixed(1)} % more): ${beats ? "better" : "not better enough"}.`,
    );
  }
  const brierChange = challenger.brier - champion.brier;
  const isCalibrated = brierChange <= rule.calibrationBound + EPSILON;
  reasons.push(
    `Brier score ${fmt(challenger.brier, 4)} vs ${fmt(champion.brier, 4)} (may be worse by at most ${fmt(rule.calibrationBound, 4)}): ${isCalibrated ? "acceptable" : "calibration worse"}.`,
  );
  const isBetter = beats && isCalibrated;
  const verdict: RuleVerdict = rule.policy === "manual" ? "manual" : isBetter ? "promote" : "keep";
  return { verdict, metric, isBetter, reasons };
}
