/**
 * The schedule row's promotion settings as a lib rule (stored as text and reals; read defensively
 * so an odd row never stops a decision: unknown values fall back to the safe choice, manual / AUC).
 */
import {
  PROMOTION_METRICS,
  PROMOTION_POLICIES,
  type PromotionMetric,
  type PromotionPolicy,
  type PromotionRule,
} from "@/lib/schedules/promotion-rule";

export const DEFAULT_RULE: PromotionRule = {
  policy: "manual",
  metric: "auc",
  margin: 0.005,
  calibrationBound: 0.005,
};

export function ruleOf(
  row: { policy: string; metric: string; margin: number; calibrationBound: number } | null | undefined,
): PromotionRule {
  if (!row) return DEFAULT_RULE;
  return {
    policy: (PROMOTION_POLICIES as readonly string[]).includes(row.policy)
      ? (row.policy as PromotionPolicy)
      : "manual",
    metric: (PROMOTION_METRICS as readonly string[]).includes(row.metric)
      ? (row.metric as PromotionMetric)
      : "auc",
    margin: Number.isFinite(row.margin) ? row.margin : DEFAULT_RULE.margin,
    calibrationBound: Number.isFinite(row.calibrationBound)
      ? row.calibrationBound
      : DEFAULT_RULE.calibrationBound,
  };
}
