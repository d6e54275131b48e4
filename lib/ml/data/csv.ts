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

export const CSV_DELIMITERS = [",", ";", "\t", "|"] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export interface CsvOptions {
  /** Field delimiter. Default: Excel's "sep=" first line, else detected from the header line (the most frequent of , ; tab and | outside quotes; comma on a tie). */
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
  /** How the file was read where it departs from plain CSV (renamed or dropped columns, Excel's sep= line). */
  notes: string[];
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
  notes: string[];
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

const DELIMITER_NAMES: Record<CsvDelimiter, string> = {
  ",": "comma",
  ";": "semicolon",
  "\t": "tab",
  "|": "vertical bar",
};

/** Excel's first line "sep=;" names the delimiter of the lines that follow. */
const SEP_LINE = /^sep=(.)[ ]*$/i;

/** The first non-blank line of `text` (without its line break), BOM removed. */
function firstLine(text: string): string {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lines = text.slice(start, start + 4096).split(/\r\n|\n|\r/);
  return lines.find((l) => l.trim() !== "") ?? "";
}

/**
 * The delimiter declared by an Excel "sep=" first line, null when the file has none. Throws for a
 * declared delimiter that is not one of , ; tab |.
 */
export function declaredDelimiter(text: string): CsvDelimiter | null {
  const m = SEP_LINE.exec(firstLine(text).replace(/^ +/, ""));
  if (!m) return null;
  const declared = m[1];
  if (!(CSV_DELIMITERS as readonly string[]).includes(declared)) {
    throw new DatasetError(
      "MALFORMED_CSV",
      `Line 1 ("sep=${declared}") declares "${declared}" as the delimiter; ChurnGuard reads files separated by commas, semicolons, tabs or vertical bars. Export the file with one of those.`,
      { line: 1 },
    );
  }
  return declared as CsvDelimiter;
}

/**
 * The delimiter of a CSV: the one an Excel "sep=" first line declares, else the most frequent of
 * , ; tab and | outside double quotes on the first line. Ties prefer comma, then semicolon.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const declared = declaredDelimiter(text);
  if (declared) return declared;
  const counts: Record<CsvDelimiter, number> = { ",": 0, ";": 0, "\t": 0, "|": 0 };
  let inQuotes = false;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (ch === "\n" || ch === "\r") {
      // Skip blank lines before the header.
      if (counts[","] + counts[";"] + counts["\t"] + counts["|"] === 0 && text.slice(start, i).trim() === "")
        continue;
      break;
    } else if (ch === "," || ch === ";" || ch === "\t" || ch === "|") counts[ch]++;
  }
  let best: CsvDelimiter = ",";
  for (const d of CSV_DELIMITERS) if (counts[d] > counts[best]) best = d;
  return best;
}

/** A totals line of a report export: "Total", "Totals:", "Grand total", "Sum" as its first value. */
const TOTALS = /^(?:grand\s+|sub-?\s*)?totals?\s*:?$|^sum\s*:?$/i;

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

/** CRLF pairs inside a record's values: csv-parse counts each as two lines. */
function crlfIn(record: string[]): number {
  let n = 0;
  for (const field of record) {
    if (field.length < 2) continue;
    for (let i = field.indexOf("\r"); i >= 0; i = field.indexOf("\r", i + 1)) {
      if (field.charCodeAt(i + 1) === 10) n++;
    }
  }
  return n;
}

/**
 * Validates the header and every record as csv-parse emits them (its on_record hook), so the
 * one-shot and the streaming reader report identical errors.
 *
 * Quirks of real exports handled here: Excel's "sep=" first line is skipped; header cells without
 * a name whose column is blank on every row (the empty trailing columns of spreadsheets) are
 * dropped, and a value under such a header is refused with its line; a row may omit those
 * trailing empty cells or carry extra empty ones; repeated column names are kept apart as
 * "Name (2)"; a "Total" line at the end of a report is refused with its line.
 */
class RecordChecker {
  columns: string[] | null = null;
  rowCount = 0;
  skippedBlankRows = 0;
  /** Physical line on which the last accepted record ended. */
  lastEndLine = 0;
  readonly notes: string[] = [];
  /** csv-parse's extra line count from CRLF inside quoted values so far. */
  private crlfSeen = 0;
  private sepLinePending: boolean;
  /** Header length as written, and the positions of the named columns kept. */
  private headerLength = 0;
  private headerLine = 0;
  private kept: number[] | null = null;
  /** Shortest row accepted: up to the last named column. */
  private minLength = 0;
  private unnamed: number[] = [];
  private extraEmptyCellRows = 0;
  private totals: { count: number; line: number; value: string; column: string } = {
    count: 0,
    line: 0,
    value: "",
    column: "",
  };
  private lastDataLine = 0;

  constructor(
    private readonly maxRows: number,
    private readonly delimiter: CsvDelimiter,
    hasSepLine: boolean,
  ) {
    this.sepLinePending = hasSepLine;
  }

  readonly onRecord = (raw: string[], info: InfoRecord): string[] | null => {
    const crlf = crlfIn(raw);
    const endLine = info.lines - this.crlfSeen - crlf;
    this.crlfSeen += crlf;
    if (this.columns === null) {
      if (isBlankRecord(raw)) {
        this.lastEndLine = endLine;
        return null;
      }
      if (this.sepLinePending && isSepRecord(raw)) {
        this.sepLinePending = false;
        this.lastEndLine = endLine;
        this.notes.push(
          `Line ${endLine} ("sep=${this.delimiter === "\t" ? "\\t" : this.delimiter}", written by Excel) names the delimiter; it was skipped and line ${endLine + 1} read as the header.`,
        );
        return null;
      }
      this.headerLine = endLine - lineBreaksIn(raw);
      this.columns = this.checkHeader(raw, this.headerLine);
      this.lastEndLine = endLine;
      return null;
    }
    const line = endLine - lineBreaksIn(raw);
    if (isBlankRecord(raw)) {
      this.skippedBlankRows++;
      this.lastEndLine = endLine;
      return null;
    }
    const record = this.fit(raw, line);
    this.lastEndLine = endLine;
    this.lastDataLine = line;
    this.watchTotals(record, line);
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

  /** The row's values for the kept columns; throws for a ragged row or a value under a nameless header. */
  private fit(record: string[], line: number): string[] {
    const expected = this.headerLength;
    const length = record.length;
    if (length === expected && this.kept === null) return record;
    if (length < this.minLength || (length > expected && !blankFrom(record, expected))) {
      const hint =
        length > expected
          ? ` A value that contains a ${DELIMITER_NAMES[this.delimiter]} must be enclosed in double quotes.`
          : "";
      throw new DatasetError(
        "RAGGED_ROW",
        `Line ${line} has ${length} fields, expected ${expected}.${hint}`,
        {
          line,
        },
      );
    }
    if (length > expected) this.extraEmptyCellRows++;
    for (const i of this.unnamed) {
      const value = record[i];
      if (value !== undefined && value.trim() !== "") {
        throw new DatasetError(
          "EMPTY_COLUMN_NAME",
          `Column ${i + 1} has no name in the header (line ${this.headerLine}), but line ${line} has a value in it ("${value.trim().slice(0, 40)}"). Name the column in the header or delete it.`,
          { line, column: i + 1 },
        );
      }
    }
    const kept = this.kept;
    if (kept === null) return length === expected ? record : record.slice(0, expected);
    const out = new Array<string>(kept.length);
    for (let j = 0; j < kept.length; j++) out[j] = record[kept[j]] ?? "";
    return out;
  }

  private watchTotals(record: string[], line: number): void {
    let j = 0;
    while (j < record.length && record[j].trim() === "") j++;
    if (j === record.length) return;
    const value = record[j].trim();
    if (value.length > 12 || !TOTALS.test(value)) return;
    this.totals.count++;
    this.totals.line = line;
    this.totals.value = value;
    this.totals.column = this.columns?.[j] ?? "";
  }

  private checkHeader(raw: string[], line: number): string[] {
    this.headerLength = raw.length;
    // Nameless header cells: dropped while their column stays blank (checked on every row).
    const named: number[] = [];
    raw.forEach((name, i) => {
      if (name.trim() === "") this.unnamed.push(i);
      else named.push(i);
    });
    if (named.length === 0) {
      throw new DatasetError("EMPTY_COLUMN_NAME", `The header (line ${line}) has no column names.`, {
        line,
        column: 1,
      });
    }
    this.minLength = named[named.length - 1] + 1;
    if (this.unnamed.length > 0) {
      this.kept = named;
      const list = this.unnamed.map((i) => i + 1);
      this.notes.push(
        `${list.length === 1 ? `Column ${list[0]} has` : `Columns ${list.join(", ")} have`} no name in the header and no values; ${list.length === 1 ? "it was" : "they were"} left out.`,
      );
    }
    const record = named.map((i) => raw[i]);
    if (record.length > MAX_COLUMNS) {
      throw new DatasetError(
        "TOO_MANY_COLUMNS",
        `The file has ${record.length.toLocaleString("en-US")} columns; at most ${MAX_COLUMNS.toLocaleString("en-US")} are accepted. Keep the customer id, the churn column and the columns that describe customers, and upload that file.`,
        { line },
      );
    }
    const names = record.map((name) => name.trim());
    const seen = new Map<string, number>();
    const position = (i: number) => named[i] + 1;
    names.forEach((name, i) => {
      if (name.length > MAX_COLUMN_NAME_LENGTH) {
        throw new DatasetError(
          "COLUMN_NAME_TOO_LONG",
          `Column ${position(i)} of the header (line ${line}) has a name of ${name.length.toLocaleString("en-US")} characters; names are at most ${MAX_COLUMN_NAME_LENGTH}. Shorten it ("${name.slice(0, 40)}…").`,
          { line, column: position(i) },
        );
      }
      const key = name.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        // Two columns with one name (or names differing only in case): pandas and R keep both
        // under new names; so do we, and say so. Every reader of the file renames identically.
        let renamed = name;
        for (let k = 2; seen.has(renamed.toLowerCase()) || names.includes(renamed, i + 1); k++)
          renamed = `${name} (${k})`;
        names[i] = renamed;
        this.notes.push(
          names[first] === name
            ? `The column name "${name}" appears twice in the header (columns ${position(first)} and ${position(i)}); column ${position(i)} is read as "${renamed}".`
            : `The column names "${names[first]}" (column ${position(first)}) and "${name}" (column ${position(i)}) differ only in letter case; column ${position(i)} is read as "${renamed}".`,
        );
        seen.set(renamed.toLowerCase(), i);
        return;
      }
      seen.set(key, i);
    });
    return names;
  }

  /** Throws when the file had no header or no data rows, or ends with a totals line. */
  finish(): void {
    if (this.extraEmptyCellRows > 0) {
      this.notes.push(
        `${this.extraEmptyCellRows.toLocaleString("en-US")} row(s) end with more empty fields than the header has columns; the extra empty fields were ignored.`,
      );
    }
    // One "Total" line, and it is the last: a report's totals, not a customer. A first column
    // where "Total" appears on many rows is a category and is left alone.
    if (this.totals.count === 1 && this.totals.line === this.lastDataLine && this.rowCount > 1) {
      const { line, value, column } = this.totals;
      throw new DatasetError(
        "TOTALS_ROW",
        `Line ${line} looks like a totals line ("${value}" in column "${column}"), not a customer. Delete that line (and any other summary lines) and upload the file again.`,
        { line },
      );
    }
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

/** True when every field from `start` on is blank. */
function blankFrom(record: string[], start: number): boolean {
  for (let i = start; i < record.length; i++) if (record[i].trim() !== "") return false;
  return true;
}

/** Excel's "sep=;" line as csv-parse splits it with the declared delimiter: ["sep=", ""]. */
function isSepRecord(record: string[]): boolean {
  const first = record[0]?.trim().toLowerCase() ?? "";
  if (record.length === 2) return first === "sep=" && record[1] === "";
  return record.length === 1 && SEP_LINE.test(first);
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
    // Any mix of CRLF, LF and CR, line by line: a file concatenated from two exports has both.
    // (csv-parse otherwise takes the first line's ending as the only one.)
    record_delimiter: ["\r\n", "\n", "\r"],
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

/** The UTF-16 flavour announced by a byte order mark (Excel's "Unicode text" export), or null. */
function utf16Bom(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  if (bytes.length < 2) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return null;
}

const UTF16_NOTE = 'The file is UTF-16 text (Excel\'s "Unicode text"); it was read as such.';

function badUtf16(): DatasetError {
  return new DatasetError(
    "UNSUPPORTED_ENCODING",
    'The file starts like UTF-16 text but is not valid UTF-16. Save it as "CSV UTF-8" (in Excel: File > Save As > CSV UTF-8) and upload it again.',
    { byteOffset: 0 },
  );
}

/**
 * A UTF-16 file with a byte order mark, transcoded to UTF-8 chunk by chunk; any other file passes
 * through untouched. (Without a mark UTF-16 cannot be told apart safely: the byte checks refuse it.)
 */
async function* asUtf8(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  onUtf16: () => void,
): AsyncGenerator<Uint8Array> {
  let decoder: TextDecoder | null = null;
  let head: Uint8Array | null = new Uint8Array(0);
  const encoder = new TextEncoder();
  for await (const chunk of chunks) {
    if (head !== null) {
      const joined: Uint8Array = new Uint8Array(head.length + chunk.length);
      joined.set(head);
      joined.set(chunk, head.length);
      if (joined.length < 2) {
        head = joined;
        continue;
      }
      head = null;
      const encoding = utf16Bom(joined);
      if (encoding === null) {
        yield joined;
        continue;
      }
      decoder = new TextDecoder(encoding, { fatal: true });
      onUtf16();
      yield* transcode(joined);
      continue;
    }
    if (decoder === null) yield chunk;
    else yield* transcode(chunk);
  }
  if (head !== null && head.length > 0) yield head;
  if (decoder !== null) yield* transcode(new Uint8Array(0), true);

  function* transcode(bytes: Uint8Array, end = false): Generator<Uint8Array> {
    let text: string;
    try {
      text = (decoder as TextDecoder).decode(bytes, { stream: !end });
    } catch {
      throw badUtf16();
    }
    if (text.length > 0) yield encoder.encode(text);
  }
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
  let bytes = toBytes(input);
  const utf16 = utf16Bom(bytes);
  if (utf16) {
    try {
      bytes = new TextEncoder().encode(new TextDecoder(utf16, { fatal: true }).decode(bytes));
    } catch {
      throw badUtf16();
    }
  }
  const inspector = new ByteInspector({ maxBytes });
  inspector.feed(bytes);
  inspector.finish();
  const head = new TextDecoder().decode(bytes.subarray(0, HEADER_SCAN_BYTES));
  const delimiter = options.delimiter ?? detectDelimiter(head);
  const checker = new RecordChecker(maxRows, delimiter, declaredDelimiter(head) !== null);
  if (utf16) checker.notes.push(UTF16_NOTE);
  let rows: string[][];
  try {
    rows = parseSync(asBuffer(bytes), csvParseOptions(delimiter, checker, maxRecordChars)) as string[][];
  } catch (error) {
    throw checker.translate(error, maxRecordChars);
  }
  checker.finish();
  return {
    columns: checker.columns ?? [],
    rows,
    delimiter,
    skippedBlankRows: checker.skippedBlankRows,
    notes: checker.notes,
  };
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
  let isUtf16 = false;
  const source: AsyncIterator<Uint8Array> = asUtf8(chunks, () => {
    isUtf16 = true;
  });

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
  let delimiter: CsvDelimiter;
  let hasSepLine: boolean;
  try {
    hasSepLine = declaredDelimiter(headText) !== null;
    delimiter = options.delimiter ?? detectDelimiter(headText);
  } catch (error) {
    release();
    throw error;
  }
  const checker = new RecordChecker(maxRows, delimiter, hasSepLine);
  if (isUtf16) checker.notes.push(UTF16_NOTE);
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
    notes: checker.notes,
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
