/**
 * Training: runs (start, cancel, read) for routers, and the pipeline's steps for the durable
 * function in jobs/functions/train-models.ts.
 */

export { EXPLAIN_SAMPLE_ROWS, SCORE_HISTOGRAM_BINS } from "./compute";
export * from "./events";
export * from "./params";
export * from "./plan";
export { clearTrainingDataCache } from "./run-data";
export { closeFailedRun, readableError, TrainingCancelledError } from "./run-state";
export * from "./runs";
export {
  discardPrefetchedTraining,
  runTrainingStep,
  type StepOptions,
  TRAINING_PIPELINE_STEPS,
} from "./steps";
