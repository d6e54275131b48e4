/**
 * Schema inference for an upload, with the user's choices from the preview applied. The rules
 * themselves are lib/ml/data's (profileDataset); this file turns the preview's controls into its
 * options and decides which problems stop an upload outright.
 */
import { applyColumnOverrides, type DatasetProblem, type DatasetSchema, profileDataset } from "@/lib/ml/data";
import type { CsvScan } from "./csv-scan";

/** What the preview lets a user change. Absent fields keep what inference decided. */
export interface ColumnOverrides {
  /** The churn column. */
  target?: string;
  /** The customer id column; null = none (rows are numbered). */
  identifier?: string | null;
  /**
   * The complete list of columns not used as features (besides the target and the identifier).
   * A column that inference excluded (personal data, leakage...) and that is not listed here is
   * used as a feature: the preview sends exactly what its checkboxes show.
   */
  excluded?: string[];
}

export function inferUploadSchema(
  scan: Pick<CsvScan, "columns" | "sample" | "rowCount" | "isSampled"> & { notes?: readonly string[] },
  overrides: ColumnOverrides = {},
): DatasetSchema {
  const data = { columns: scan.columns, rows: scan.sample, notes: scan.notes };
  let schema = profileDataset(data, {
    target: overrides.target,
    identifier: overrides.identifier,
    exclude: overrides.excluded ?? [],
  });
  if (overrides.excluded) {
    const excluded = new Set(overrides.excluded);
    const include = schema.columns
      .filter(
        (c) =>
          c.role === "excluded" &&
          c.exclusionReason !== "user" &&
          c.name !== schema.target &&
          !excluded.has(c.name),
      )
      .map((c) => c.name);
    if (include.length > 0) schema = applyColumnOverrides(schema, { ...schema.overrides, include });
  }
  if (scan.isSampled) {
    schema = {
      ...schema,
      rowCount: scan.rowCount,
      warnings: [
        `Column types and roles were inferred from a random sample of ${scan.sample.length.toLocaleString("en-US")} of the ${scan.rowCount.toLocaleString("en-US")} rows; every row was checked and will be imported.`,
        ...schema.warnings,
      ],
    };
  }
  return schema;
}

/** Columns with exactly two values: what the preview offers as the target. */
export function targetCandidates(schema: DatasetSchema): string[] {
  return schema.columns
    .filter((c) => c.name === schema.target || (c.stats.distinct === 2 && c.role !== "identifier"))
    .map((c) => c.name);
}

/** In order of what a person should fix first: too few rows makes the other checks moot. */
const BLOCKING_AT_UPLOAD: DatasetProblem["code"][] = ["TOO_FEW_ROWS", "TARGET_ONE_CLASS", "TARGET_TOO_RARE"];

/**
 * The problem that makes an upload pointless, or null. A missing or unusable target only blocks
 * when no column could be chosen instead; otherwise the preview asks the user to choose one.
 */
export function uploadBlocker(schema: DatasetSchema): DatasetProblem | null {
  for (const code of BLOCKING_AT_UPLOAD) {
    const problem = schema.problems.find((p) => p.code === code);
    if (problem) return problem;
  }
  if (targetCandidates(schema).length > 0) return null;
  return schema.problems.find((p) => p.code === "NO_TARGET" || p.code === "TARGET_NOT_BINARY") ?? null;
}
