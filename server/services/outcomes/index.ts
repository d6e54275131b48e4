/** Retention actions and outcomes: assignment with a hold-out, outcomes, measured uplift. */
export * from "./assign";
export * from "./from-events";
export * from "./queue";
export {
  importOutcomesCsv,
  recordOutcome,
  resolveFromNewerData,
  resolveOutcomesAfterImport,
  updateAction,
} from "./record";
export * from "./results";
export * from "./schemas";
