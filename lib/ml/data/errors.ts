/**
 * Every problem a user can fix in an uploaded data set is a DatasetError: a stable code for
 * programs (the upload page maps codes to help text, the CLI to exit messages) and a message a
 * person can act on. Line numbers are 1-based physical file lines; the header is line 1.
 */

export const DATASET_ERROR_CODES = [
  // Reading the file
  "EMPTY_FILE",
  "HEADER_ONLY",
  "EMPTY_COLUMN_NAME",
  "DUPLICATE_COLUMN",
  "RAGGED_ROW",
  "UNCLOSED_QUOTE",
  "MALFORMED_CSV",
  "LINE_TOO_LONG",
  "INVALID_UTF8",
  "UNSUPPORTED_ENCODING",
  "BINARY_FILE",
  "FILE_TOO_LARGE",
  "TOO_MANY_ROWS",
  "TOO_MANY_COLUMNS",
  "COLUMN_NAME_TOO_LONG",
  "TOTALS_ROW",
  // Making a training set of it
  "NO_TARGET",
  "TARGET_NOT_FOUND",
  "POSITIVE_LABEL_NOT_FOUND",
  "TARGET_NOT_BINARY",
  "TARGET_ONE_CLASS",
  "TARGET_TOO_RARE",
  "TOO_FEW_ROWS",
  "NO_FEATURES",
  "TOO_MANY_FEATURES",
  "COLUMN_NOT_FOUND",
] as const;

export type DatasetErrorCode = (typeof DATASET_ERROR_CODES)[number];

export interface DatasetErrorDetails {
  /** 1-based physical line of the file (header = 1). */
  line?: number;
  /** 1-based field position within the line. */
  column?: number;
  /** 0-based byte offset in the file, for encoding and binary problems. */
  byteOffset?: number;
}

/** Plain form for job step results, API answers and logs. */
export interface DatasetErrorJson extends DatasetErrorDetails {
  code: DatasetErrorCode;
  message: string;
}

export class DatasetError extends Error {
  readonly code: DatasetErrorCode;
  readonly line?: number;
  readonly column?: number;
  readonly byteOffset?: number;

  constructor(code: DatasetErrorCode, message: string, details: DatasetErrorDetails = {}) {
    super(message);
    this.name = "DatasetError";
    this.code = code;
    if (details.line !== undefined) this.line = details.line;
    if (details.column !== undefined) this.column = details.column;
    if (details.byteOffset !== undefined) this.byteOffset = details.byteOffset;
  }

  toJSON(): DatasetErrorJson {
    const out: DatasetErrorJson = { code: this.code, message: this.message };
    if (this.line !== undefined) out.line = this.line;
    if (this.column !== undefined) out.column = this.column;
    if (this.byteOffset !== undefined) out.byteOffset = this.byteOffset;
    return out;
  }

  static fromJSON(json: DatasetErrorJson): DatasetError {
    return new DatasetError(json.code, json.message, json);
  }
}

export function isDatasetError(value: unknown): value is DatasetError {
  return value instanceof DatasetError;
}
