/**
 * The stored description of a data set: each column's type, role and profile statistics, the
 * target and its positive label. Plain JSON (validated by `datasetSchemaSchema`), saved with the
 * dataset version and edited by users in the preview (target, identifier, excluded columns).
 * This file has no Node-only imports, so pages and forms can import it on their own.
 */
import { z } from "zod";

export const COLUMN_TYPES = ["numeric", "categorical", "boolean", "date", "text"] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const COLUMN_ROLES = ["feature", "target", "identifier", "excluded"] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/** Why a column is not a feature. "user" = excluded by hand in the preview. */
export const EXCLUSION_REASONS = [
  "identifier",
  "personal_data",
  "constant",
  "near_constant",
  "leakage",
  "date",
  "high_cardinality",
  "user",
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export const PERSONAL_DATA_KINDS = [
  "email",
  "phone",
  "person_name",
  "address",
  "birth_date",
  "free_text",
] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

export const DATASET_PROBLEM_CODES = [
  "NO_TARGET",
  "TARGET_NOT_BINARY",
  "TARGET_ONE_CLASS",
  "TARGET_TOO_RARE",
  "TOO_FEW_ROWS",
  "NO_FEATURES",
  "TOO_MANY_FEATURES",
] as const;

const count = z.number().int().nonnegative();

export const valueCountSchema = z.object({
  value: z.string(),
  count,
  /** Rows of this value whose target is the positive label (churned); absent without a target. */
  positives: count.optional(),
});
export type ValueCount = z.infer<typeof valueCountSchema>;

export const histogramBinSchema = z.object({
  lower: z.number(),
  upper: z.number(),
  count,
  positives: count.optional(),
});
export type HistogramBin = z.infer<typeof histogramBinSchema>;

export const columnStatsSchema = z.object({
  /** Non-missing values. */
  count,
  missing: count,
  /** Distinct non-missing values (trimmed text). */
  distinct: count,
  /** Churned rows among the missing ones. */
  missingPositives: count.optional(),
  /** Numeric and date columns (dates in days since 1970-01-01). */
  min: z.number().optional(),
  max: z.number().optional(),
  mean: z.number().optional(),
  std: z.number().optional(),
  median: z.number().optional(),
  /** Ten equal-width bins between min and max, numeric and date columns. */
  histogram: z.array(histogramBinSchema).optional(),
  /** Most frequent values, at most ten; empty for personal data so it is never stored or shown. */
  topValues: z.array(valueCountSchema),
});
export type ColumnStats = z.infer<typeof columnStatsSchema>;

export const columnSchemaSchema = z.object({
  name: z.string().min(1),
  /** 0-based position in the file. */
  index: z.number().int().nonnegative(),
  type: z.enum(COLUMN_TYPES),
  /** Effective role, after the user's edits. */
  role: z.enum(COLUMN_ROLES),
  /** Why the column is excluded (role "excluded" or "identifier"), else null. */
  exclusionReason: z.enum(EXCLUSION_REASONS).nullable(),
  /** What inference decided, kept so that a user's edit can be undone. */
  autoRole: z.enum(COLUMN_ROLES),
  autoExclusionReason: z.enum(EXCLUSION_REASONS).nullable(),
  personalData: z.enum(PERSONAL_DATA_KINDS).nullable(),
  /** max(AUC, 1 - AUC) of this column alone against the target, when computed. */
  singleColumnAuc: z.number().nullable(),
  /** Numbers written with a decimal comma ("29,85"). */
  decimalComma: z.boolean(),
  dateFormat: z.enum(["ymd", "dmy", "mdy"]).nullable(),
  /** For boolean columns, the value that means yes/true ("Yes", "1", "TRUE"). */
  trueValue: z.string().nullable(),
  /**
   * For boolean columns, the value that means no/false. Every other spelling of yes/no in the
   * column (TRUE, True, y, 1.0) is read as `trueValue` / `falseValue`. Absent in schemas stored
   * before spellings were merged: values are then read as written.
   */
  falseValue: z.string().nullable().optional(),
  stats: columnStatsSchema,
});
export type ColumnSchema = z.infer<typeof columnSchemaSchema>;

export const schemaOverridesSchema = z.object({
  /** Column to use as the customer identifier; null = none; absent = inferred. */
  identifier: z.string().nullable().optional(),
  /** Columns excluded by hand. */
  exclude: z.array(z.string()),
  /** Columns used as features even though inference excluded them. */
  include: z.array(z.string()),
});
export type SchemaOverrides = z.infer<typeof schemaOverridesSchema>;

export const datasetProblemSchema = z.object({
  code: z.enum(DATASET_PROBLEM_CODES),
  message: z.string(),
});
export type DatasetProblem = z.infer<typeof datasetProblemSchema>;

export const datasetSchemaSchema = z.object({
  formatVersion: z.literal(1),
  /** Data rows in the file. */
  rowCount: count,
  target: z.string().nullable(),
  /** The target value meaning "churned" (e.g. "Yes"); every other non-missing value is retained. */
  positiveLabel: z.string().nullable(),
  /** Rows with target = positiveLabel / another value / missing. */
  classCounts: z.object({ positive: count, negative: count, missing: count }).nullable(),
  identifier: z.string().nullable(),
  columns: z.array(columnSchemaSchema),
  /** The user's edits, applied on top of inference. */
  overrides: schemaOverridesSchema,
  /**
   * Things a user should know (leakage suspicions, guessed target, values read as missing), and
   * how the file was read where it departs from plain CSV (renamed columns, currency signs
   * removed, which date columns became which recency features).
   */
  warnings: z.array(z.string()),
  /**
   * The file's latest date (days since 1970-01-01, UTC) over its date columns: date features are
   * used as "days before" it (recency). Absent or null: no date column, or a schema stored before
   * recency features, whose date features are used as absolute days.
   */
  referenceDate: z.number().nullable().optional(),
  /** Reasons the data set cannot be trained on yet; empty when it can. */
  problems: z.array(datasetProblemSchema),
});
export type DatasetSchema = z.infer<typeof datasetSchemaSchema>;

/** Names of the columns used as model features, in file order. */
export function featureColumns(schema: DatasetSchema): ColumnSchema[] {
  return schema.columns.filter((c) => c.role === "feature");
}

export function findColumn(schema: DatasetSchema, name: string): ColumnSchema | undefined {
  return schema.columns.find((c) => c.name === name);
}
