export {
  type ClassificationMetrics,
  type ConfusionMatrix,
  classificationMetrics,
  confusionMatrix,
  metricsFromConfusion,
} from "./classification";
export { type CumulativeCounts, cumulativeCounts } from "./cumulative-counts";
export {
  type CalibrationBin,
  calibrationCurve,
  DEFAULT_MAX_CURVE_POINTS,
  downsample,
  type LiftRow,
  liftByDecile,
  type PrPoint,
  precisionRecallCurve,
  type RocPoint,
  rocCurve,
} from "./curves";
export { brierScore, logLoss } from "./probability";
export { averagePrecision, prAuc, rocAuc } from "./ranking";
export { type BinaryEvaluation, type EvaluationCurves, evaluateBinary, evaluationCurves } from "./summary";
export {
  CONTACT_RANKINGS,
  type ContactEconomics,
  type ContactOutcome,
  type ContactPlan,
  type ContactPlanOptions,
  type ContactRanking,
  expectedProfit,
  planContacts,
  type RetentionEconomics,
  selectThreshold,
  type ThresholdChoice,
  type ThresholdObjective,
} from "./threshold";
