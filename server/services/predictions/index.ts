/** Predictions with a dataset's champion: input checks, scores, explanations per original column. */
export * from "./errors";
export { type CheckedRecords, checkCustomerRecords, type IgnoredField } from "./input";
export { loadPredictor } from "./load-predictor";
export * from "./predictor";
