/**
 * Training: runs (start, cancel, read) for routers, and the pipeline's steps for the durable
 * function in jobs/functions/train-models.ts.
 */
export * from "./events";
export * from "./params";
export * from "./plan";
export { clearTrainingDataCache } from "./run-data";
export { closeFailedRun, readableError, TrainingCancelledError } from "./run-state";
export * from "./runs";
export {
  EXPLAIN_SAMPLE_ROWS,
  runTrainingStep,
  SCORE_HISTOGRAM_BINS,
  type StepOptions,
  TRAINING_PIPELINE_STEPS,
} from "./steps";
