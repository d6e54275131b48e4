/**
 * Drift monitoring: reports comparing a champion's training data with newer versions and scored
 * files (requests.ts starts them, compute.ts is the drift-check job's work, queries.ts reads them).
 */
export { driftFeaturesOf, failDriftCheck, runDriftCheckStep } from "./compute";
export * from "./queries";
export * from "./requests";
