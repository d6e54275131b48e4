/**
 * Scoring one part of a chunk: a pure computation (no database, no storage), so it could move to
 * a worker thread unchanged. Lenient, like the API's batch of a file: unreadable values and unseen
 * categories are imputed and reported per row instead of refusing the row.
 */
import { recordOfRow } from "@/lib/column-record";
import type { RawRecord } from "@/lib/ml";
import { type Playbook, recommendedAction } from "@/lib/retention";
import type { CustomerPrediction, Predictor } from "../predictions";
import { type RiskDriver, topDrivers } from "../scoring/drivers";

export interface ScorePart {
  /** Row number of rows[0]. */
  firstRow: number;
  /** The model inputs present in the file, the order of the values in `rows`. */
  used: string[];
  rows: string[][];
  ids: (string | null)[];
}

/** One row of batch_scores, with short keys: it travels as JSON into jsonb_to_recordset. */
export interface ScoredRow {
  n: number;
  e: string | null;
  s: number;
  l: string;
  d: RiskDriver[];
  a: string | null;
  w: { field: string; code: string }[] | null;
}

export function scorePart(predictor: Predictor, playbook: Playbook, part: ScorePart): ScoredRow[] {
  const numeric = new Set(predictor.inputs.filter((i) => i.kind === "numeric").map((i) => i.name));
  const present = new Set(part.used);
  // Null prototype: a column may be called "__proto__" or "constructor".
  const records: RawRecord[] = part.rows.map((row) => recordOfRow(part.used, row));
  const predictions = predictor.predict(records, { strict: false });
  return predictions.map((p, k) => ({
    n: part.firstRow + k,
    e: part.ids[k],
    s: p.riskScore,
    l: p.riskLevel,
    d: driversOf(p, records[k], numeric),
    a: recommendedAction(p.contributions, records[k], playbook)?.title ?? null,
    w: rowWarnings(p, present),
  }));
}

/** The top three drivers as the customers' scores store them (numbers as numbers). */
function driversOf(p: CustomerPrediction, record: RawRecord, numeric: ReadonlySet<string>): RiskDriver[] {
  const columns = p.contributions.map((c) => ({
    name: c.column,
    logOdds: c.logOdds,
    probability: c.probability,
  }));
  return topDrivers({ columns }, record).map((d) => ({
    ...d,
    value:
      numeric.has(d.column) && typeof d.value === "string" && Number.isFinite(Number(d.value))
        ? Number(d.value)
        : d.value,
  }));
}

/**
 * Warnings specific to this row: a blank or unreadable value, an unseen category. Columns the whole
 * file lacks are imputed on every row; the summary lists them once instead of on every row.
 */
function rowWarnings(
  p: CustomerPrediction,
  present: ReadonlySet<string>,
): { field: string; code: string }[] | null {
  const warnings = p.warnings
    .filter((w) => w.code !== "ignored" && present.has(w.field))
    .map((w) => ({ field: w.field, code: w.code }));
  return warnings.length > 0 ? warnings : null;
}
