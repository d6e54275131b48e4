/** Retention actions and outcomes: assignment with a hold-out, outcomes, measured uplift. */
export * from "./assign";
export * from "./queue";
export { importOutcomesCsv, recordOutcome, resolveFromNewerData, updateAction } from "./record";
export * from "./results";
export * from "./schemas";
