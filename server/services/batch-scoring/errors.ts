/**
 * Problems with a file to score that the person uploading it can fix. The file's own problems
 * (empty, ragged rows, not UTF-8, binary...) are lib/ml/data's DatasetError with the line and
 * column; these are the ones about the file versus the model.
 */

export type BatchFileErrorCode = "NO_MODEL_INPUTS";

export class BatchFileError extends Error {
  constructor(
    readonly code: BatchFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "BatchFileError";
  }
}

export class BatchNotFoundError extends Error {
  constructor(batchId: number) {
    super(`Scoring batch ${batchId} does not exist (its dataset may have been deleted).`);
    this.name = "BatchNotFoundError";
  }
}

/** Cancelling or downloading a batch in a state where that makes no sense. */
export class BatchStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BatchStateError";
  }
}
