/**
 * A typed column frame: the table as the model library reads it. Numeric (and date) columns are
 * Float64Array with NaN for missing; categorical, boolean and text columns are Int32Array codes
 * into `levels` with -1 for missing. Values are read with the schema's rules (values.ts), so
 * "", "NA", "N/A", "null", "NaN", "?" and blank cells are missing everywhere.
 */
import type { DatasetSchema } from "./dataset-schema";
import { DatasetError } from "./errors";
import { labelOf, type TabularData } from "./schema-inference";
import { type DateFormat, isMissing, parseBoolean, parseDate, parseNumber } from "./values";

export interface NumericColumn {
  readonly kind: "numeric";
  readonly name: string;
  /** NaN = missing. Dates are days since 1970-01-01. */
  readonly values: Float64Array;
}

export interface CategoricalColumn {
  readonly kind: "categorical";
  readonly name: string;
  /** Index into `levels`; -1 = missing. */
  readonly codes: Int32Array;
  /** Trimmed values, in order of first appearance. */
  readonly levels: readonly string[];
}

export type FrameColumn = NumericColumn | CategoricalColumn;

export interface Frame {
  readonly rowCount: number;
  readonly columns: readonly FrameColumn[];
}

export interface FrameOptions {
  /** Columns to include, by name. Default: every column of the schema. */
  columns?: readonly string[];
}

/** How a schema column is read into a frame column. */
interface ColumnReader {
  name: string;
  /** Position in the source rows. */
  source: number;
  kind: "numeric" | "categorical";
  decimalComma: boolean;
  dateFormat: DateFormat | null;
  /** Boolean columns: the two spellings every yes/no value is read as (TRUE, True -> trueValue). */
  yesNo: { trueValue: string; falseValue: string } | null;
}

export function getColumn(frame: Frame, name: string): FrameColumn {
  const column = frame.columns.find((c) => c.name === name);
  if (!column) {
    throw new DatasetError(
      "COLUMN_NOT_FOUND",
      `There is no column named "${name}". Columns: ${frame.columns.map((c) => c.name).join(", ")}.`,
    );
  }
  return column;
}

export function findFrameColumn(frame: Frame, name: string): FrameColumn | undefined {
  return frame.columns.find((c) => c.name === name);
}

/** Builds a frame from parsed rows in one go. */
export function buildFrame(data: TabularData, schema: DatasetSchema, options: FrameOptions = {}): Frame {
  const builder = createFrameBuilder(data.columns, schema, options);
  // In slices: the builder reads column by column, and rows decoded on access (a worker's packed
  // table, server/services/training/packed-rows.ts) are then decoded once per slice, not per cell.
  const SLICE = 8_192;
  if (data.rows.length <= SLICE) builder.append(data.rows);
  else for (let s = 0; s < data.rows.length; s += SLICE) builder.append(data.rows.slice(s, s + SLICE));
  return builder.finish();
}

export interface FrameBuilder {
  /** Adds rows (in the layout of the header given to createFrameBuilder). */
  append(rows: readonly (readonly string[])[]): void;
  finish(): Frame;
}

/**
 * Builds a frame batch by batch (for readCsvBatches), so the string rows of a large file never
 * need to be held at once: memory is 8 bytes per numeric and 4 per categorical cell.
 */
export function createFrameBuilder(
  header: readonly string[],
  schema: DatasetSchema,
  options: FrameOptions = {},
): FrameBuilder {
  const readers = columnReaders(header, schema, options.columns);
  let capacity = 1024;
  let rowCount = 0;
  const numbers = readers.map((r) => (r.kind === "numeric" ? new Float64Array(capacity) : null));
  const codes = readers.map((r) => (r.kind === "categorical" ? new Int32Array(capacity) : null));
  const levels = readers.map(() => [] as string[]);
  const levelIndex = readers.map(() => new Map<string, number>());
  // Yes/no spellings already read, per column: a column has a handful, the file millions of cells.
  const spellings = readers.map(() => new Map<string, string>());

  const grow = (needed: number) => {
    if (needed <= capacity) return;
    while (capacity < needed) capacity *= 2;
    readers.forEach((_, j) => {
      const n = numbers[j];
      if (n) {
        const next = new Float64Array(capacity);
        next.set(n);
        numbers[j] = next;
      }
      const c = codes[j];
      if (c) {
        const next = new Int32Array(capacity);
        next.set(c);
        codes[j] = next;
      }
    });
  };

  return {
    append(rows) {
      grow(rowCount + rows.length);
      readers.forEach((reader, j) => {
        const src = reader.source;
        const num = numbers[j];
        if (num) {
          for (let i = 0; i < rows.length; i++) num[rowCount + i] = readNumber(rows[i][src], reader);
          return;
        }
        const code = codes[j] as Int32Array;
        const index = levelIndex[j];
        const lv = levels[j];
        for (let i = 0; i < rows.length; i++) {
          const raw = rows[i][src];
          if (isMissing(raw)) {
            code[rowCount + i] = -1;
            continue;
          }
          const value = reader.yesNo ? yesNoValue(raw, reader.yesNo, spellings[j]) : raw.trim();
          let k = index.get(value);
          if (k === undefined) {
            k = lv.length;
            lv.push(value);
            index.set(value, k);
          }
          code[rowCount + i] = k;
        }
      });
      rowCount += rows.length;
    },
    finish() {
      const columns = readers.map((reader, j): FrameColumn => {
        const num = numbers[j];
        if (num) return { kind: "numeric", name: reader.name, values: num.slice(0, rowCount) };
        return {
          kind: "categorical",
          name: reader.name,
          codes: (codes[j] as Int32Array).slice(0, rowCount),
          levels: levels[j],
        };
      });
      return { rowCount, columns };
    },
  };
}

function yesNoValue(
  raw: string,
  yesNo: { trueValue: string; falseValue: string },
  cache: Map<string, string>,
): string {
  const known = cache.get(raw);
  if (known !== undefined) return known;
  const side = parseBoolean(raw);
  const value = side === null ? raw.trim() : side ? yesNo.trueValue : yesNo.falseValue;
  if (cache.size < 64) cache.set(raw, value);
  return value;
}

function readNumber(raw: string | undefined, reader: ColumnReader): number {
  if (raw === undefined || isMissing(raw)) return Number.NaN;
  return reader.dateFormat ? parseDate(raw, reader.dateFormat) : parseNumber(raw, reader.decimalComma);
}

function columnReaders(
  header: readonly string[],
  schema: DatasetSchema,
  names: readonly string[] | undefined,
): ColumnReader[] {
  const wanted = names ?? schema.columns.map((c) => c.name);
  return wanted.map((name) => {
    const column = schema.columns.find((c) => c.name === name);
    const source = header.indexOf(name);
    if (!column || source < 0) {
      throw new DatasetError(
        "COLUMN_NOT_FOUND",
        `The data has no column "${name}" of the schema. Columns: ${header.join(", ")}.`,
      );
    }
    const isNumeric = column.type === "numeric" || column.type === "date";
    return {
      name,
      source,
      kind: isNumeric ? "numeric" : "categorical",
      decimalComma: column.decimalComma,
      dateFormat: column.type === "date" ? column.dateFormat : null,
      yesNo:
        column.type === "boolean" && column.trueValue !== null && column.falseValue
          ? { trueValue: column.trueValue, falseValue: column.falseValue }
          : null,
    };
  });
}

/** A new frame with only `rows` (in that order). */
export function selectRows(frame: Frame, rows: ArrayLike<number>): Frame {
  const columns = frame.columns.map((column): FrameColumn => {
    if (column.kind === "numeric") {
      const values = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i]];
      return { ...column, values };
    }
    const codes = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) codes[i] = column.codes[rows[i]];
    return { ...column, codes };
  });
  return { rowCount: rows.length, columns };
}

export interface TrainingSet {
  /** Feature columns only, rows with a known target only. */
  frame: Frame;
  /** 1 = churned (target = schema.positiveLabel), 0 = retained; aligned with frame rows. */
  labels: Uint8Array;
  /** Position of each frame row in the source rows. */
  sourceRows: Int32Array;
}

/**
 * The frame and labels to train on: the schema's feature columns, and the rows whose target is
 * known (rows with a missing target are left out, as the schema's warning says).
 */
export function buildTrainingSet(data: TabularData, schema: DatasetSchema): TrainingSet {
  if (schema.target === null || schema.positiveLabel === null) {
    throw new DatasetError("NO_TARGET", "The data set has no target column; choose one before training.");
  }
  const targetIndex = data.columns.indexOf(schema.target);
  if (targetIndex < 0) {
    throw new DatasetError("TARGET_NOT_FOUND", `The data has no target column "${schema.target}".`);
  }
  const kept: number[] = [];
  const labels: number[] = [];
  data.rows.forEach((row, r) => {
    const label = labelOf(row[targetIndex], schema);
    if (label === null) return;
    kept.push(r);
    labels.push(label);
  });
  const features = schema.columns.filter((c) => c.role === "feature").map((c) => c.name);
  const rows = kept.length === data.rows.length ? data.rows : kept.map((r) => data.rows[r]);
  const frame = buildFrame({ columns: data.columns, rows }, schema, { columns: features });
  return { frame, labels: Uint8Array.from(labels), sourceRows: Int32Array.from(kept) };
}
