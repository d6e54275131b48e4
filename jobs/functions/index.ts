/**
 * The registry of durable functions (read by jobs/registry.ts): one export line per function.
 * Order does not matter; ids must be unique.
 */
export { pruneJobs } from "./prune-jobs";
export { trainModels } from "./train-models";
export { scoreBatch } from "./score-batch";
