/** Scoring: risk levels, drivers, and batch scoring of a dataset version's customers. */

export {
  loadCurrentFeatures,
  loadScoringRows,
  overlayCurrentFeatures,
} from "./current-rows";
export { type RiskDriver, STORED_DRIVER_COUNT, topDrivers } from "./drivers";
export { bumpScoresGeneration, scoresGeneration } from "./generation";
export { relevelScores } from "./relevel";
export { DEFAULT_RISK_BANDS, RISK_LEVELS, type RiskBands, type RiskLevel, riskLevelOf } from "./risk";
export {
  type CustomerTable,
  DEFAULT_SCORING_BATCH,
  type ScoreCustomersOptions,
  type ScoringSummary,
  scoreCustomers,
} from "./score-customers";
