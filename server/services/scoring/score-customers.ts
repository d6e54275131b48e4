/**
 * Batch scoring: every customer of a dataset version gets a risk score, a risk level and its top
 * three drivers from one model, upserted into `scores` (one row per customer and model, so
 * re-scoring with the same model overwrites and a retried step never duplicates).
 */
import { sql } from "drizzle-orm";
import { recordOfRow } from "@/lib/column-record";
import type { ChurnModel, RawRecord } from "@/lib/ml";
import type { DatasetSchema } from "@/lib/ml/data";
import type { Database } from "../../db/client";
import { scores } from "../../db/schema";
import { type RiskDriver, topDrivers } from "./drivers";
import { bumpScoresGeneration } from "./generation";
import { DEFAULT_RISK_BANDS, type RiskBands, type RiskLevel, riskLevelOf } from "./risk";

/** Customers per explain call and INSERT: bounds memory (SHAP values are rows x features). */
export const DEFAULT_SCORING_BATCH = 500;

export interface CustomerTable {
  schema: DatasetSchema;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
  customerIds: readonly number[];
}

export interface ScoreCustomersOptions {
  modelId: number;
  model: ChurnModel;
  table: CustomerTable;
  batchSize?: number;
  bands?: RiskBands;
  /** After each batch is written: customers done so far and in total. */
  onBatch?: (done: number, total: number) => void | Promise<void>;
}

export interface ScoringSummary {
  customersScored: number;
  levels: Record<RiskLevel, number>;
  meanRiskScore: number;
}

export async function scoreCustomers(db: Database, options: ScoreCustomersOptions): Promise<ScoringSummary> {
  const { model, table, modelId } = options;
  const batchSize = options.batchSize ?? DEFAULT_SCORING_BATCH;
  const bands = options.bands ?? DEFAULT_RISK_BANDS;
  const numeric = new Set(table.schema.columns.filter((c) => c.type === "numeric").map((c) => c.name));
  const total = table.rows.length;
  const levels: Record<RiskLevel, number> = { low: 0, medium: 0, high: 0 };
  let sum = 0;
  for (let start = 0; start < total; start += batchSize) {
    const end = Math.min(total, start + batchSize);
    const records: RawRecord[] = [];
    for (let i = start; i < end; i++) records.push(recordOf(table.columns, table.rows[i]));
    const explained = model.explain(records, { engineered: "split" });
    const values = explained.map((e, k) => {
      const riskLevel = riskLevelOf(e.riskScore, bands);
      levels[riskLevel] += 1;
      sum += e.riskScore;
      const drivers: RiskDriver[] = topDrivers(e, records[k]).map((d) => ({
        ...d,
        value:
          numeric.has(d.column) && typeof d.value === "string" && Number.isFinite(Number(d.value))
            ? Number(d.value)
            : d.value,
      }));
      return {
        customerId: table.customerIds[start + k],
        modelId,
        riskScore: e.riskScore,
        riskLevel,
        drivers,
      };
    });
    await upsertScores(db, values);
    bumpScoresGeneration();
    await options.onBatch?.(end, total);
  }
  return { customersScored: total, levels, meanRiskScore: total ? sum / total : 0 };
}

/** Null prototype: a column may be called "__proto__" (a `{}` would drop it) or "constructor". */
function recordOf(columns: readonly string[], row: readonly string[]): RawRecord {
  return recordOfRow(columns, row);
}

/**
 * One INSERT … ON CONFLICT per batch with the rows as a single JSON parameter expanded by
 * json_to_recordset: one bind parameter instead of six per row, measured faster on PGlite (whose
 * single thread is the web server's) and PostgreSQL alike. Upsert, so a retried step rewrites.
 */
async function upsertScores(
  db: Database,
  values: {
    customerId: number;
    modelId: number;
    riskScore: number;
    riskLevel: RiskLevel;
    drivers: RiskDriver[];
  }[],
): Promise<void> {
  const json = JSON.stringify(
    values.map((v) => ({ c: v.customerId, m: v.modelId, s: v.riskScore, l: v.riskLevel, d: v.drivers })),
  );
  await db.execute(sql`
    insert into ${scores} (customer_id, model_id, risk_score, risk_level, drivers, scored_at)
    select r.c, r.m, r.s, r.l, r.d, now()
    from json_to_recordset(${json}::json) as r(c bigint, m integer, s real, l text, d jsonb)
    on conflict (customer_id, model_id) do update set
      risk_score = excluded.risk_score, risk_level = excluded.risk_level,
      drivers = excluded.drivers, scored_at = excluded.scored_at`);
}
