/**
 * Risk over time: for every model of a dataset that scored its customers (each model version keeps
 * its own rows in `scores`), the mean risk and high-risk count of the active customers and when
 * they were scored; plus every scored file (batch scoring), from its stored summary.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import { customers, models, scoreBatches, scores } from "../../db/schema";
import { customerStatusCondition } from "../customers/status";
import { cachedAnalytics } from "./cache";
import { num, numOrNull, rowsOf } from "./rows";
import { resolveAnalyticsScope } from "./scope";

export const riskTrendInputSchema = z.object({ datasetId: z.number().int().positive() });

export interface ModelRiskPoint {
  modelId: number;
  version: number;
  algorithm: string;
  status: string;
  scoredAt: Date;
  customers: number;
  meanRisk: number | null;
  highRisk: number;
}

export interface BatchRiskPoint {
  batchId: number;
  fileName: string;
  scoredAt: Date;
  rows: number;
  meanRisk: number | null;
  highRisk: number | null;
}

export interface RiskTrend {
  datasetId: number;
  models: ModelRiskPoint[];
  batches: BatchRiskPoint[];
}

export async function riskTrend(
  db: Database,
  input: z.input<typeof riskTrendInputSchema>,
): Promise<RiskTrend> {
  const { datasetId } = riskTrendInputSchema.parse(input);
  await resolveAnalyticsScope(db, datasetId); // NOT_FOUND for an unknown dataset
  return cachedAnalytics(db, ["risk-trend", datasetId], () => computeRiskTrend(db, datasetId));
}

async function computeRiskTrend(db: Database, datasetId: number): Promise<RiskTrend> {
  const active = customerStatusCondition("active");
  // One aggregate per model over its own customers (the version it was trained on).
  const modelRows = rowsOf<{
    id: unknown;
    version: unknown;
    algorithm: string;
    status: string;
    scored_at: string | Date | null;
    customers: unknown;
    mean_risk: unknown;
    high_risk: unknown;
  }>(
    await db.execute(sql`
      select m.id, m.version, m.algorithm, m.status::text as status, t.scored_at, t.customers, t.mean_risk, t.high_risk
      from ${models} m
      cross join lateral (
        select max(${scores.scoredAt}) as scored_at,
          count(*) filter (where ${active})::int as customers,
          avg(${scores.riskScore}) filter (where ${active})::float8 as mean_risk,
          count(*) filter (where ${active} and ${scores.riskLevel} = 'high')::int as high_risk
        from ${scores} inner join ${customers} on ${customers.id} = ${scores.customerId}
        where ${scores.modelId} = m.id and ${customers.datasetVersionId} = m.dataset_version_id
      ) t
      where m.dataset_id = ${datasetId} and t.scored_at is not null
      order by t.scored_at, m.id`),
  );
  const batchRows = rowsOf<{
    id: unknown;
    file_name: string;
    finished_at: string | Date | null;
    row_count: unknown;
    mean_risk: unknown;
    high_risk: unknown;
  }>(
    await db.execute(sql`
      select id, file_name, finished_at, row_count,
        (summary ->> 'meanRiskScore')::float8 as mean_risk,
        (summary -> 'levels' ->> 'high')::int as high_risk
      from ${scoreBatches}
      where dataset_id = ${datasetId} and status = 'succeeded' and finished_at is not null
      order by finished_at, id`),
  );
  return {
    datasetId,
    models: modelRows.map((r) => ({
      modelId: num(r.id),
      version: num(r.version),
      algorithm: r.algorithm,
      status: r.status,
      scoredAt: new Date(r.scored_at as string | Date),
      customers: num(r.customers),
      meanRisk: numOrNull(r.mean_risk),
      highRisk: num(r.high_risk),
    })),
    batches: batchRows.map((r) => ({
      batchId: num(r.id),
      fileName: r.file_name,
      scoredAt: new Date(r.finished_at as string | Date),
      rows: num(r.row_count),
      meanRisk: numOrNull(r.mean_risk),
      highRisk: r.high_risk === null ? null : num(r.high_risk),
    })),
  };
}
