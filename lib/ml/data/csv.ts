/**
 * Reading customer CSV files. csv-parse does the parsing (quotes, CRLF / LF / CR-only line
 * endings, BOM); this module adds what an upload needs around it: delimiter detection from the
 * header line, byte checks (binary files, UTF-8, size), header validation, ragged-row detection
 * with the physical line number, and a streaming form for files too large to hold in memory.
 *
 * Values are returned exactly as written in the file (not trimmed), so nothing is lost; the frame
 * and schema inference decide what a cell means. Rows whose cells are all blank are skipped and
 * counted (spreadsheets often leave ",,,," lines at the end).
 */
import { once } from "node:events";
import {
  type CsvError,
  type Options as CsvParseOptions,
  type InfoRecord,
  parse as parseStream,
} from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { ByteInspector } from "./byte-inspector";
import { DatasetError } from "./errors";

export const CSV_DELIMITERS = [",", ";", "\t"] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export interface CsvOptions {
  /** Field delimiter. Default: detected from the header line (the most frequent of , ; and tab outside quotes; comma on a tie). */
  delimiter?: CsvDelimiter;
  /** Largest accepted file in bytes. Default 200 MB (200 * 1024 * 1024). */
  maxBytes?: number;
  /** Most data rows accepted (header excluded). Default 5,000,000. */
  maxRows?: number;
  /** Longest accepted record in characters, a guard against a wrong delimiter or an unclosed quote. Default 1,000,000. */
  maxRecordChars?: number;
}

export interface CsvStreamOptions extends CsvOptions {
  /** Rows per batch handed to the caller. Default 1,000. */
  batchSize?: number;
}

export interface ParsedCsv {
  /** Header names, trimmed. */
  columns: string[];
  /** Data rows, each with exactly `columns.length` raw (untrimmed) values. */
  rows: string[][];
  delimiter: CsvDelimiter;
  /** Rows whose cells were all blank, skipped. */
  skippedBlankRows: number;
}

export interface CsvBatch {
  columns: string[];
  delimiter: CsvDelimiter;
  rows: string[][];
  /** 0-based index of rows[0] among all data rows of the file. */
  firstRowIndex: number;
}

export interface CsvSummary {
  columns: string[];
  delimiter: CsvDelimiter;
  rowCount: number;
  byteCount: number;
  skippedBlankRows: number;
}

/**
 * Most columns a file may have. Every column is profiled, stored per customer and offered in the
 * preview; past a few thousand a table is not a customer table a model can learn from (the rows
 * would have to number in the hundreds of thousands), and a 10,000-column file kept a training
 * run busy for over 15 minutes. See also the columns-per-row rule in schema inference.
 */
export const MAX_COLUMNS = 2_000;
/** Longest column name accepted (the preview, filters and the what-if form all show names whole). */
export const MAX_COLUMN_NAME_LENGTH = 500;

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;
export const DEFAULT_MAX_ROWS = 5_000_000;
export const DEFAULT_MAX_RECORD_CHARS = 1_000_000;
const DEFAULT_BATCH_SIZE = 1_000;
/** How far into the file the header line is looked for when streaming. */
const HEADER_SCAN_BYTES = 1024 * 1024;

const DELIMITER_NAMES: Record<CsvDelimiter, string> = { ",": "comma", ";": "semicolon", "\t": "tab" };

/**
 * The delimiter of a CSV from its first line: counts , ; and tab outside double quotes up to the
 * first line break outside quotes. Ties prefer comma, then semicolon.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let inQuotes = false;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (ch === "\n" || ch === "\r") {
      // Skip blank lines before the header.
      if (counts[","] + counts[";"] + counts["\t"] === 0 && text.slice(start, i).trim() === "") continue;
      break;
    } else if (ch === "," || ch === ";" || ch === "\t") counts[ch]++;
  }
  let best: CsvDelimiter = ",";
  for (const d of CSV_DELIMITERS) if (counts[d] > counts[best]) best = d;
  return best;
}

/** True when `text` holds a complete first non-blank line (a line break outside quotes after it). */
function hasCompleteHeaderLine(text: string): boolean {
  let inQuotes = false;
  let sawContent = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    if (inQuotes) continue;
    if (ch === "\n" || ch === "\r") {
      if (sawContent) return true;
    } else if (ch.trim() !== "") sawContent = true;
  }
  return false;
}

function resolveOptions(options: CsvOptions) {
  return {
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    maxRows: options.maxRows ?? DEFAULT_MAX_ROWS,
    maxRecordChars: options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS,
  };
}

/** Physical line breaks inside a record's values (quoted multi-line cells). */
function lineBreaksIn(record: string[]): number {
  let n = 0;
  for (const field of record) {
    for (let i = 0; i < field.length; i++) {
      const c = field.charCodeAt(i);
      if (c === 10) n++;
      else if (c === 13 && field.charCodeAt(i + 1) !== 10) n++;
    }
  }
  return n;
}

/**
 * Validates the header and every record as csv-parse emits them (its on_record hook), so the
 * one-shot and the streaming reader report identical errors.
 */
class RecordChecker {
  columns: string[] | null = null;
  rowCount = 0;
  skippedBlankRows = 0;
  /** Physical line on which the last accepted record ended. */
  lastEndLine = 0;

  constructor(
    private readonly maxRows: number,
    private readonly delimiter: CsvDelimiter,
  ) {}

  readonly onRecord = (record: string[], info: InfoRecord): string[] | null => {
    const endLine = info.lines;
    if (this.columns === null) {
      if (isBlankRecord(record)) {
        this.lastEndLine = endLine;
        return null;
      }
      this.columns = this.checkHeader(record, endLine - lineBreaksIn(record));
      this.lastEndLine = endLine;
      return null;
    }
    const expected = this.columns.length;
    if (record.length !== expected) {
      if (isBlankRecord(record)) {
        this.skippedBlankRows++;
        this.lastEndLine = endLine;
        return null;
      }
      const line = endLine - lineBreaksIn(record);
      const hint =
        record.length > expected
          ? ` A value that contains a ${DELIMITER_NAMES[this.delimiter]} must be enclosed in double quotes.`
          : "";
      throw new DatasetError(
        "RAGGED_ROW",
        `Line ${line} has ${record.length} fields, expected ${expected}.${hint}`,
        {
          line,
        },
      );
    }
    this.lastEndLine = endLine;
    if (isBlankRecord(record)) {
      this.skippedBlankRows++;
      return null;
    }
    this.rowCount++;
    if (this.rowCount > this.maxRows) {
      throw new DatasetError(
        "TOO_MANY_ROWS",
        `The file has more than ${this.maxRows.toLocaleString("en-US")} data rows, the most accepted.`,
        { line: endLine },
      );
    }
    return record;
  };

  private checkHeader(record: string[], line: number): string[] {
    if (record.length > MAX_COLUMNS) {
      throw new DatasetError(
        "TOO_MANY_COLUMNS",
        `The file has ${record.length.toLocaleString("en-US")} columns; at most ${MAX_COLUMNS.toLocaleString("en-US")} are accepted. Keep the customer id, the churn column and the columns that describe customers, and upload that file.`,
        { line },
      );
    }
    const names = record.map((name) => name.trim());
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
      if (name.length > MAX_COLUMN_NAME_LENGTH) {
        throw new DatasetError(
          "COLUMN_NAME_TOO_LONG",
          `Column ${i + 1} of the header (line ${line}) has a name of ${name.length.toLocaleString("en-US")} characters; names are at most ${MAX_COLUMN_NAME_LENGTH}. Shorten it ("${name.slice(0, 40)}…").`,
          { line, column: i + 1 },
        );
      }
      if (name === "") {
        throw new DatasetError(
          "EMPTY_COLUMN_NAME",
          `Column ${i + 1} of the header (line ${line}) has no name. Name the column or delete it.`,
          { line, column: i + 1 },
        );
      }
      const key = name.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        const message =
          names[first] === name
            ? `The column name "${name}" appears twice in the header (columns ${first + 1} and ${i + 1}). Column names must be unique.`
            : `The column names "${names[first]}" (column ${first + 1}) and "${name}" (column ${i + 1}) differ only in letter case. Column names must be unique.`;
        throw new DatasetError("DUPLICATE_COLUMN", message, { line, column: i + 1 });
      }
      seen.set(key, i);
    });
    return names;
  }

  /** Throws when the file had no header or no data rows. */
  finish(): void {
    if (this.columns === null) {
      throw new DatasetError("EMPTY_FILE", "The file is empty: it has no header and no rows.");
    }
    if (this.rowCount === 0) {
      throw new DatasetError(
        "HEADER_ONLY",
        `The file has a header (${this.columns.length} columns) but no data rows.`,
        { line: this.lastEndLine + 1 },
      );
    }
  }

  /** Turns csv-parse's own errors into DatasetErrors; passes DatasetErrors through. */
  translate(error: unknown, maxRecordChars: number): unknown {
    if (error instanceof DatasetError) return error;
    const csvError = error as CsvError & { lines?: number };
    if (!csvError || typeof csvError.code !== "string") return error;
    const line = typeof csvError.lines === "number" ? csvError.lines : undefined;
    switch (csvError.code) {
      case "CSV_QUOTE_NOT_CLOSED": {
        const start = this.lastEndLine + 1;
        return new DatasetError(
          "UNCLOSED_QUOTE",
          `The quoted value that starts on line ${start} is never closed: a closing double quote (") is missing.`,
          { line: start },
        );
      }
      case "CSV_MAX_RECORD_SIZE": {
        const start = this.lastEndLine + 1;
        return new DatasetError(
          "LINE_TOO_LONG",
          `Line ${start} is longer than ${maxRecordChars.toLocaleString("en-US")} characters. ` +
            "The file may use another delimiter, or a quote may not be closed.",
          { line: start },
        );
      }
      default:
        return new DatasetError(
          "MALFORMED_CSV",
          `${line !== undefined ? `Line ${line}: ` : ""}the file is not valid CSV (${csvError.message}).`,
          line !== undefined ? { line } : {},
        );
    }
  }
}

function isBlankRecord(record: string[]): boolean {
  for (const field of record) if (field.trim() !== "") return false;
  return true;
}

function csvParseOptions(
  delimiter: CsvDelimiter,
  checker: RecordChecker,
  maxRecordChars: number,
): CsvParseOptions<string[], string[]> {
  return {
    delimiter,
    bom: true,
    // Row length is checked by RecordChecker, which knows the physical line and skips blank rows.
    relax_column_count: true,
    // Keeps a stray quote inside an unquoted value (12" screen) instead of failing the file.
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: maxRecordChars,
    on_record: checker.onRecord,
  };
}

function toBytes(input: string | Uint8Array): Uint8Array {
  return typeof input === "string" ? new TextEncoder().encode(input) : input;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Parses a whole CSV held in memory. Throws a DatasetError for every problem a user can fix
 * (see errors.ts); for large uploads use readCsvBatches / parseCsvStream.
 */
export function parseCsv(input: string | Uint8Array, options: CsvOptions = {}): ParsedCsv {
  const { maxBytes, maxRows, maxRecordChars } = resolveOptions(options);
  const bytes = toBytes(input);
  const inspector = new ByteInspector({ maxBytes });
  inspector.feed(bytes);
  inspector.finish();
  const head = new TextDecoder().decode(bytes.subarray(0, HEADER_SCAN_BYTES));
  const delimiter = options.delimiter ?? detectDelimiter(head);
  const checker = new RecordChecker(maxRows, delimiter);
  let rows: string[][];
  try {
    rows = parseSync(asBuffer(bytes), csvParseOptions(delimiter, checker, maxRecordChars)) as string[][];
  } catch (error) {
    throw checker.translate(error, maxRecordChars);
  }
  checker.finish();
  return { columns: checker.columns ?? [], rows, delimiter, skippedBlankRows: checker.skippedBlankRows };
}

/**
 * Streams a CSV as batches of rows without ever holding the file: memory stays around one batch
 * plus csv-parse's small buffers. Bytes are checked as they arrive, so a binary or non-UTF-8
 * file fails at its first bad chunk. Throws (from the iteration) a DatasetError; a caller that
 * stored earlier batches must roll them back. The generator's return value is the summary.
 */
export async function* readCsvBatches(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: CsvStreamOptions = {},
): AsyncGenerator<CsvBatch, CsvSummary, undefined> {
  const { maxBytes, maxRows, maxRecordChars } = resolveOptions(options);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const inspector = new ByteInspector({ maxBytes });
  const source: AsyncIterator<Uint8Array> | Iterator<Uint8Array> =
    Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]();

  // Read until the header line is complete, to choose the delimiter before csv-parse starts.
  const headChunks: Uint8Array[] = [];
  let headBytes = 0;
  let sourceDone = false;
  const decoder = new TextDecoder();
  let headText = "";
  const release = () => {
    // Release an upload stream we stopped reading early (error or the caller's break).
    if (!sourceDone && source.return) Promise.resolve(source.return()).catch(() => {});
  };
  try {
    while (headBytes < HEADER_SCAN_BYTES) {
      const next = await source.next();
      if (next.done) {
        sourceDone = true;
        break;
      }
      inspector.feed(next.value);
      headChunks.push(next.value);
      headBytes += next.value.length;
      headText += decoder.decode(next.value, { stream: true });
      if (hasCompleteHeaderLine(headText)) break;
    }
    if (sourceDone) inspector.finish();
  } catch (error) {
    release();
    throw error;
  }
  const delimiter = options.delimiter ?? detectDelimiter(headText);
  const checker = new RecordChecker(maxRows, delimiter);
  const parser = parseStream(csvParseOptions(delimiter, checker, maxRecordChars));
  const abort = new AbortController();

  // Feeds the parser from the source while the loop below drains it; `drain` is awaited so that
  // at most one chunk plus csv-parse's buffers is in memory.
  const pump = async () => {
    const write = async (chunk: Uint8Array) => {
      if (parser.destroyed) return;
      if (!parser.write(asBuffer(chunk))) await once(parser, "drain", { signal: abort.signal });
    };
    try {
      for (const chunk of headChunks) await write(chunk);
      headChunks.length = 0;
      while (!sourceDone && !parser.destroyed) {
        const next = await source.next();
        if (next.done) {
          sourceDone = true;
          inspector.finish();
          break;
        }
        inspector.feed(next.value);
        await write(next.value);
      }
      if (!parser.destroyed) parser.end();
    } catch (error) {
      if (!abort.signal.aborted) parser.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const pumping = pump();

  let batch: string[][] = [];
  let firstRowIndex = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      batch.push(record);
      if (batch.length >= batchSize) {
        const rows = batch;
        batch = [];
        yield { columns: checker.columns ?? [], delimiter, rows, firstRowIndex };
        firstRowIndex += rows.length;
        // Stream events resolve as microtasks: without this, a source that is already buffered
        // would keep a server's event loop busy for the whole file.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    await pumping;
  } catch (error) {
    throw checker.translate(error, maxRecordChars);
  } finally {
    abort.abort();
    parser.destroy();
    release();
  }
  if (batch.length > 0) {
    yield { columns: checker.columns ?? [], delimiter, rows: batch, firstRowIndex };
  }
  checker.finish();
  return {
    columns: checker.columns ?? [],
    delimiter,
    rowCount: checker.rowCount,
    byteCount: inspector.bytes,
    skippedBlankRows: checker.skippedBlankRows,
  };
}

/**
 * Callback form of readCsvBatches: `onRows` is awaited before more of the file is read, so a
 * slow consumer (database inserts) applies back-pressure to the upload.
 */
export async function parseCsvStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  onRows: (rows: string[][], batch: CsvBatch) => void | Promise<void>,
  options: CsvStreamOptions = {},
): Promise<CsvSummary> {
  const batches = readCsvBatches(chunks, options);
  for (;;) {
    const next = await batches.next();
    if (next.done) return next.value;
    await onRows(next.value.rows, next.value);
  }
}
