/**
 * Batch scoring: a CSV without the target, scored by the dataset's champion as a durable job in
 * chunks (jobs/functions/score-batch.ts), downloaded with risk, level, top drivers and action.
 */
export * from "./batches";
export { chunkCount, DEFAULT_CHUNK_ROWS } from "./chunks";
export { type ColumnMatch, matchColumns } from "./columns";
export { csvCell, driversText } from "./csv-out";
export { contentDisposition, SCORE_COLUMNS, scoredCsvFileName, streamScoredCsv } from "./download";
export * from "./errors";
export {
  type BatchSummary,
  failBatch,
  finaliseBatchStep,
  loadBatchStep,
  scoreChunkStep,
} from "./job";
export { BATCH_PROGRESS_EVENT, type BatchProgressEvent } from "./publish";
export {
  type BatchUploadPreview,
  discardBatchUpload,
  getStagedBatchFile,
  type StagedBatchFile,
  stageBatchUpload,
} from "./upload";
