/**
 * Errors of the datasets service that are not about the file's content (those are lib/ml/data's
 * DatasetError). Routers and the upload route map them to HTTP / tRPC codes.
 */
import { formatFileSize } from "./format";

export class UploadTooLargeError extends Error {
  constructor(
    /** Size of the file when known (Content-Length), else null (the stream went past the limit). */
    readonly sizeBytes: number | null,
    readonly maxBytes: number,
  ) {
    const limit = formatFileSize(maxBytes, sizeBytes ?? undefined);
    super(
      sizeBytes === null
        ? `The file is larger than ${limit}, the limit. Upload a smaller file or split it.`
        : `The file is ${formatFileSize(sizeBytes, maxBytes)}; the limit is ${limit}.`,
    );
    this.name = "UploadTooLargeError";
  }
}

export class UploadNotFoundError extends Error {
  constructor(readonly uploadId: string) {
    super("This upload is no longer available (uploads are kept for 24 hours). Upload the file again.");
    this.name = "UploadNotFoundError";
  }
}

export class DatasetNotFoundError extends Error {
  constructor(what: string) {
    super(`${what} does not exist (it may have been deleted).`);
    this.name = "DatasetNotFoundError";
  }
}

export class DatasetBusyError extends Error {
  constructor(name: string) {
    super(
      `A training run on "${name}" is queued or running; cancel it or wait for it to finish, then delete.`,
    );
    this.name = "DatasetBusyError";
  }
}

/** The chosen identifier column is not a unique id for every row: fixable by choosing another. */
export class IdentifierError extends Error {
  readonly code = "INVALID_IDENTIFIER";
  constructor(message: string) {
    super(message);
    this.name = "IdentifierError";
  }
}
