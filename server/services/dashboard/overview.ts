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
import {
  customers,
  datasets,
  datasetVersions,
  GENERATED_DRIVER_POSITIONS,
  models,
  scores,
  trainingRuns,
} from "../../db/schema";
import { num, rowsOf } from "../analytics/rows";
import { parseNumberArray } from "../analytics/segment-key";
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

/**
 * One row per (active or lost, risk level, tuple of driver columns) of the champion's scores: the
 * totals and the high-risk drivers both fold from these few groups, so the customers are read once
 * and no customer's drivers jsonb is parsed (scores.driver_columns / driver_points are generated).
 */
interface ScoredGroup {
  active: boolean;
  level: string;
  columns: (string | null)[] | string | null;
  customers: unknown;
  risk: unknown;
  valued: unknown;
  revenue_at_risk: unknown;
  revenue: unknown;
  /** Per driver position: customers whose driver there raises the risk. */
  raising: (number | string | null)[] | string | null;
}

function foldScoredGroups(groups: readonly ScoredGroup[]): Pick<Aggregates, "scored" | "highRiskDrivers"> {
  const levels: Record<RiskLevel, number> = { low: 0, medium: 0, high: 0 };
  let customersActive = 0;
  let lost = 0;
  let risk = 0;
  let valued = 0;
  let revenueAtRisk = 0;
  let revenueHigh = 0;
  const drivers = new Map<string, number>();
  for (const g of groups) {
    const count = num(g.customers);
    if (!g.active) {
      lost += count;
      continue;
    }
    customersActive += count;
    if (g.level in levels) levels[g.level as RiskLevel] += count;
    risk += num(g.risk);
    valued += num(g.valued);
    revenueAtRisk += num(g.revenue_at_risk);
    if (g.level !== "high") continue;
    revenueHigh += num(g.revenue);
    const columns = parseTextArray(g.columns);
    const raising = parseNumberArray(g.raising as (number | string | null)[] | string | null);
    columns.forEach((column, i) => {
      const n = raising[i] ?? 0;
      if (column !== null && n > 0) drivers.set(column, (drivers.get(column) ?? 0) + n);
    });
  }
  const highRiskDrivers = [...drivers]
    .map(([column, customers]) => ({ column, customers }))
    .sort((a, b) => b.customers - a.customers || (a.column < b.column ? -1 : a.column > b.column ? 1 : 0))
    .slice(0, 5);
  if (customersActive + lost === 0) return { scored: null, highRiskDrivers };
  const hasValue = valued > 0;
  return {
    scored: {
      customers: customersActive,
      lost,
      meanRisk: customersActive > 0 ? risk / customersActive : 0,
      levels,
      monthlyRevenueAtRisk: hasValue ? revenueAtRisk : null,
      monthlyRevenueHighRisk: hasValue ? revenueHigh : null,
    },
    highRiskDrivers,
  };
}

/** A text[] as the drivers return it: an array, or PostgreSQL's text form {a,"b c",NULL}. */
function parseTextArray(value: (string | null)[] | string | null): (string | null)[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  const out: (string | null)[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^,{}]+)/g;
  for (const m of value.slice(1, -1).matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1].replace(/\\(.)/g, "$1"));
    else out.push(m[2] === "NULL" ? null : (m[2] as string));
  }
  return out;
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
    const groups = rowsOf<ScoredGroup>(
      await db.execute(sql`
        select k.active, s.risk_level as level, s.driver_columns as columns,
          count(*)::int as customers,
          sum(s.risk_score::float8)::float8 as risk,
          count(k.monthly_value)::int as valued,
          sum(k.monthly_value::float8 * s.risk_score::float8)::float8 as revenue_at_risk,
          sum(k.monthly_value::float8)::float8 as revenue,
          array[${sql.join(
            Array.from(
              { length: GENERATED_DRIVER_POSITIONS },
              (_, i) => sql`count(*) filter (where s.driver_points[${sql.raw(String(i + 1))}] > 0)`,
            ),
            sql`, `,
          )}]::int[] as raising
        from ${scores} s inner join (
          select ${customers.id} as id, ${customers.monthlyValue} as monthly_value,
            ${customerStatusCondition("active")} as active
          from ${customers}
        ) k on k.id = s.customer_id
        where s.model_id = ${championId}
        group by 1, 2, 3`),
    );
    ({ scored, highRiskDrivers } = foldScoredGroups(groups));
  }

  return { labels, scored, highRiskDrivers };
}
