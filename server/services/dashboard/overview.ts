/**
 * The dashboard's numbers for one dataset, all read from what training stored: the champion's
 * scores of every customer (risk levels, revenue at risk), the labels of the imported rows (churn
 * rate), the champion's global importance and its customers' most frequent risk-raising drivers.
 * Risk figures count active customers only; those whose label says they churned are counted apart
 * as already lost (customers/status.ts).
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { sharedCache } from "../../cache/shared";
import type { Database } from "../../db/client";
import { customers, datasets, datasetVersions, models, scores, trainingRuns } from "../../db/schema";
import { customerStatusCondition } from "../customers/status";
import type { RiskLevel } from "../scoring/risk";

export interface DashboardDataset {
  id: number;
  name: string;
  hasChampion: boolean;
}

export interface DashboardOverview {
  dataset: { id: number; name: string; version: number; rowCount: number };
  champion: {
    id: number;
    version: number;
    algorithm: string;
    cvAuc: number;
    f1Churn: number;
    f1Weighted: number;
    trainedAt: Date;
  } | null;
  /** Churn rate of the labelled customers of the champion's dataset version, 0..1. */
  observedChurnRate: number | null;
  scored: {
    /** Active customers the champion scored: every figure below is about them. */
    customers: number;
    /** Scored customers whose label says they already churned: not at risk, counted apart. */
    lost: number;
    meanRisk: number;
    levels: Record<RiskLevel, number>;
    /** Sum over customers of monthly value x risk score (needs a monthly charges column). */
    monthlyRevenueAtRisk: number | null;
    monthlyRevenueHighRisk: number | null;
  } | null;
  /** Mean |SHAP| per original column (log-odds), largest first. */
  importance: { column: string; value: number }[];
  /** Columns that most often raise the risk of active high-risk customers (top-3 drivers). */
  highRiskDrivers: { column: string; customers: number }[];
  recentRuns: {
    id: number;
    status: string;
    createdAt: Date;
    finishedAt: Date | null;
    trigger: string;
  }[];
}

/** Datasets, most recently created first, with whether each has a champion. */
export async function listDashboardDatasets(db: Database): Promise<DashboardDataset[]> {
  const rows = await db
    .select({
      id: datasets.id,
      name: datasets.name,
      championId: models.id,
    })
    .from(datasets)
    .leftJoin(models, and(eq(models.datasetId, datasets.id), eq(models.status, "champion")))
    .orderBy(desc(datasets.createdAt), desc(datasets.id));
  return rows.map((r) => ({ id: r.id, name: r.name, hasChampion: r.championId !== null }));
}

/** Null when the dataset does not exist. */
export async function getDashboardOverview(
  db: Database,
  datasetId: number,
): Promise<DashboardOverview | null> {
  const [dataset] = await db
    .select({ id: datasets.id, name: datasets.name })
    .from(datasets)
    .where(eq(datasets.id, datasetId));
  if (!dataset) return null;
  const [champion] = await db
    .select({
      id: models.id,
      version: models.version,
      algorithm: models.algorithm,
      cvAuc: models.cvAuc,
      f1Churn: models.f1Churn,
      f1Weighted: models.f1Weighted,
      trainedAt: models.createdAt,
      importance: models.importance,
      datasetVersionId: models.datasetVersionId,
    })
    .from(models)
    .where(and(eq(models.datasetId, datasetId), eq(models.status, "champion")));
  const [version] = await db
    .select({ id: datasetVersions.id, version: datasetVersions.version, rowCount: datasetVersions.rowCount })
    .from(datasetVersions)
    .where(
      champion ? eq(datasetVersions.id, champion.datasetVersionId) : eq(datasetVersions.datasetId, datasetId),
    )
    .orderBy(desc(datasetVersions.version))
    .limit(1);
  const recentRuns = await db
    .select({
      id: trainingRuns.id,
      status: trainingRuns.status,
      createdAt: trainingRuns.createdAt,
      finishedAt: trainingRuns.finishedAt,
      trigger: trainingRuns.trigger,
    })
    .from(trainingRuns)
    .where(eq(trainingRuns.datasetId, datasetId))
    .orderBy(desc(trainingRuns.createdAt), desc(trainingRuns.id))
    .limit(5);

  const { labels, scored, highRiskDrivers } = await dashboardAggregates.get(
    db,
    ["overview", champion?.id ?? null, version?.id ?? null],
    () => computeAggregates(db, champion?.id ?? null, version?.id ?? null),
  );

  return {
    dataset: {
      id: dataset.id,
      name: dataset.name,
      version: version?.version ?? 0,
      rowCount: version?.rowCount ?? 0,
    },
    champion: champion
      ? {
          id: champion.id,
          version: champion.version,
          algorithm: champion.algorithm,
          cvAuc: champion.cvAuc,
          f1Churn: champion.f1Churn,
          f1Weighted: champion.f1Weighted,
          trainedAt: champion.trainedAt,
        }
      : null,
    observedChurnRate: labels.labelled > 0 ? labels.churned / labels.labelled : null,
    scored,
    importance: (champion?.importance ?? []).slice(0, 8),
    highRiskDrivers,
    recentRuns,
  };
}

interface Aggregates {
  labels: { labelled: number; churned: number };
  scored: DashboardOverview["scored"];
  highRiskDrivers: DashboardOverview["highRiskDrivers"];
}

/**
 * Every user sees the same figures, and they change only with the scores (a new generation) or a
 * new champion or version (a new key): one computation serves every dashboard until then.
 */
const dashboardAggregates = sharedCache("dashboard.aggregates");

/** Test and benchmark seam. */
export function clearDashboardCache(): void {
  dashboardAggregates.clear();
}

/** The scans over every scored customer: the expensive part of the dashboard. */
async function computeAggregates(
  db: Database,
  championId: number | null,
  versionId: number | null,
): Promise<Aggregates> {
  const [labels] =
    versionId !== null
      ? await db
          .select({
            labelled: sql<number>`count(${customers.label})::int`,
            churned: sql<number>`coalesce(sum(${customers.label}), 0)::int`,
          })
          .from(customers)
          .where(eq(customers.datasetVersionId, versionId))
      : [{ labelled: 0, churned: 0 }];

  let scored: DashboardOverview["scored"] = null;
  let highRiskDrivers: DashboardOverview["highRiskDrivers"] = [];
  if (championId !== null) {
    const active = customerStatusCondition("active");
    const [totals] = await db
      .select({
        customers: sql<number>`count(*) filter (where ${active})::int`,
        lost: sql<number>`count(*) filter (where ${customerStatusCondition("lost")})::int`,
        meanRisk: sql<number>`coalesce(avg(${scores.riskScore}) filter (where ${active}), 0)::float8`,
        low: sql<number>`count(*) filter (where ${active} and ${scores.riskLevel} = 'low')::int`,
        medium: sql<number>`count(*) filter (where ${active} and ${scores.riskLevel} = 'medium')::int`,
        high: sql<number>`count(*) filter (where ${active} and ${scores.riskLevel} = 'high')::int`,
        valued: sql<number>`count(${customers.monthlyValue}) filter (where ${active})::int`,
        revenueAtRisk: sql<number>`coalesce(sum(${customers.monthlyValue} * ${scores.riskScore}) filter (where ${active}), 0)::float8`,
        revenueHigh: sql<number>`coalesce(sum(${customers.monthlyValue}) filter (where ${active} and ${scores.riskLevel} = 'high'), 0)::float8`,
      })
      .from(scores)
      .innerJoin(customers, eq(customers.id, scores.customerId))
      .where(eq(scores.modelId, championId));
    if (totals.customers + totals.lost > 0) {
      const hasValue = totals.valued > 0;
      scored = {
        customers: totals.customers,
        lost: totals.lost,
        meanRisk: totals.meanRisk,
        levels: { low: totals.low, medium: totals.medium, high: totals.high },
        monthlyRevenueAtRisk: hasValue ? totals.revenueAtRisk : null,
        monthlyRevenueHighRisk: hasValue ? totals.revenueHigh : null,
      };
    }
    // Driver names are data (jsonb values), never SQL text.
    const driver = sql`jsonb_array_elements(${scores.drivers})`;
    const rows = await db.execute<{ column: string; customers: number }>(sql`
      select d->>'column' as "column", count(*)::int as customers
      from (select ${driver} as d from ${scores}
            inner join ${customers} on ${customers.id} = ${scores.customerId}
            where ${scores.modelId} = ${championId} and ${scores.riskLevel} = 'high' and ${active}) t
      where (d->>'contribution')::float8 > 0
      group by 1 order by 2 desc, 1 limit 5`);
    const list = (Array.isArray(rows) ? rows : (rows as unknown as { rows: unknown[] }).rows) as {
      column: string;
      customers: number;
    }[];
    highRiskDrivers = list.map((r) => ({
      column: String(r.column),
      customers: Number(r.customers),
    }));
  }

  return { labels, scored, highRiskDrivers };
}
