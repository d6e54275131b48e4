/** Prediction UI shared by the Predict page and customer detail; all take CustomerInsight parts. */
export { NextBestActionCard } from "./next-best-action-card";
export { SignedPoints } from "./points";
export { ReasonCard } from "./reason-card";
export { RetentionActions } from "./retention-actions";
export { RiskGauge } from "./risk-gauge";
export { RISK_LEVEL_LABELS, type RiskLevelName } from "./risk-level";
export { WaterfallChart, type WaterfallContribution, waterfallSteps } from "./waterfall-chart";
