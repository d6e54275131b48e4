/**
 * The segment explorer: customers grouped by one or two columns (categorical values, or numeric
 * quantile bins), with, per segment, active and lost customers, observed churn, the champion's
 * mean risk and revenue at risk over active customers, and the segment's top drivers (mean stored
 * driver contribution inside the segment against the overall mean). Two GROUP BY queries over the
 * champion's scores (index scores_model_risk_idx) joined to customers by primary key, under
 * withAnalyticalSettings; nothing loops over customers in JavaScript.
 */
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { withAnalyticalSettings } from "../../db/analytical";
import type { Database } from "../../db/client";
import { customers, scores } from "../../db/schema";
import { joinCurrentFeatures } from "../customers/current-features";
import { customerStatusCondition } from "../customers/status";
import { STORED_DRIVER_COUNT } from "../scoring/drivers";
import { cachedAnalytics } from "./cache";
import { num, numOrNull, rowsOf } from "./rows";
import { type AnalyticsScope, resolveAnalyticsScope, segmentColumnOf } from "./scope";
import { type SegmentKey, segmentKeyOf, segmentLabel } from "./segment-key";

export const MAX_SEGMENTS = 200;

export const segmentsInputSchema = z.object({
  datasetId: z.number().int().positive(),
  columns: z
    .array(z.string().min(1).max(200))
    .min(1, "Choose a column")
    .max(2, "Choose at most two columns")
    .refine((c) => c.length < 2 || c[0] !== c[1], "Choose two different columns"),
  bins: z.number().int().min(2).max(10).default(4),
});
export type SegmentsInput = z.input<typeof segmentsInputSchema>;

export interface SegmentDriver {
  column: string;
  /** Mean contribution (probability points, 0..1 scale) among the segment's active customers. */
  segmentPoints: number;
  /** The same over all active customers. */
  overallPoints: number;
}

export interface SegmentValue {
  column: string;
  /** The stored value (categorical), or null for a numeric bin or missing values. */
  value: string | null;
  label: string;
}

export interface SegmentRow {
  key: SegmentValue[];
  customers: number;
  active: number;
  lost: number;
  /** Lost / customers with a known label; null when no label is known. */
  observedChurnRate: number | null;
  /** Mean risk of the active customers; null without any. */
  meanRisk: number | null;
  highRisk: number;
  /** Σ monthly value × risk over active customers; null without a monthly value column. */
  revenueAtRisk: number | null;
  topDrivers: SegmentDriver[];
  /** Customers-list filters that select this segment; null when it cannot (numeric bins, missing). */
  customerFilters: { column: string; value: string }[] | null;
}

export interface SegmentTotals {
  customers: number;
  active: number;
  lost: number;
  observedChurnRate: number | null;
  meanRisk: number | null;
  highRisk: number;
  revenueAtRisk: number | null;
}

export interface SegmentExplorer {
  datasetId: number;
  championId: number | null;
  columns: { name: string; type: string; labels: string[] }[];
  rows: SegmentRow[];
  totals: SegmentTotals | null;
  /** Segments left out beyond MAX_SEGMENTS (smallest first). */
  omitted: number;
}

interface AggregateRow {
  k1: string | null;
  k2: string | null;
  customers: unknown;
  active: unknown;
  lost: unknown;
  labelled: unknown;
  mean_risk: unknown;
  high_risk: unknown;
  revenue: unknown;
  valued: unknown;
}

export async function exploreSegments(db: Database, input: SegmentsInput): Promise<SegmentExplorer> {
  const query = segmentsInputSchema.parse(input);
  const scope = await resolveAnalyticsScope(db, query.datasetId);
  const columns = query.columns.map((name) => segmentColumnOf(scope, name));
  return cachedAnalytics(db, ["segments", scope.champion?.id ?? null, scope.version?.id ?? null, query], () =>
    withAnalyticalSettings(db, (tx) =>
      computeSegments(
        tx,
        scope,
        columns.map((c) => c.name),
        query.bins,
      ),
    ),
  );
}

async function computeSegments(
  db: Database,
  scope: AnalyticsScope,
  columnNames: string[],
  binCount: number,
): Promise<SegmentExplorer> {
  const base = {
    datasetId: scope.dataset.id,
    championId: scope.champion?.id ?? null,
    columns: [] as SegmentExplorer["columns"],
    rows: [] as SegmentRow[],
    totals: null,
    omitted: 0,
  };
  if (!scope.champion || !scope.version) return base;
  const versionId = scope.version.id;
  const keys = await Promise.all(
    // The customers' current values: a customer an event moved to another contract is counted there.
    columnNames.map((name) => segmentKeyOf(db, segmentColumnOf(scope, name), versionId, binCount, "current")),
  );
  const k1 = keys[0].expression;
  const k2: SQL = keys[1]?.expression ?? sql`null::text`;
  const active = customerStatusCondition("active");
  const scoped = sql`${scores.modelId} = ${scope.champion.id} and ${customers.datasetVersionId} = ${versionId}`;
  const aggregates = rowsOf<AggregateRow>(
    await db.execute(sql`
      select ${k1} as k1, ${k2} as k2,
        count(*)::int as customers,
        count(*) filter (where ${active})::int as active,
        count(*) filter (where ${customerStatusCondition("lost")})::int as lost,
        count(${customers.label})::int as labelled,
        avg(${scores.riskScore}) filter (where ${active})::float8 as mean_risk,
        count(*) filter (where ${active} and ${scores.riskLevel} = 'high')::int as high_risk,
        sum(${customers.monthlyValue}::float8 * ${scores.riskScore}::float8) filter (where ${active})::float8 as revenue,
        count(${customers.monthlyValue}) filter (where ${active})::int as valued
      from ${scores} inner join ${customers} on ${customers.id} = ${scores.customerId} ${joinCurrentFeatures}
      where ${scoped}
      group by 1, 2`),
  );
  // Stored drivers per active customer (a driver outside a customer's top ones counts 0), read by
  // position: generate_series gives the planner the true fan-out, where jsonb_array_elements'
  // default estimate of 100 rows per customer made it sort millions of imagined rows.
  const driver = sql`(${scores.drivers} -> d.i)`;
  const driverRows = rowsOf<{ k1: string | null; k2: string | null; column: string; total: unknown }>(
    await db.execute(sql`
      select ${k1} as k1, ${k2} as k2, ${driver} ->> 'column' as "column",
        sum((${driver} ->> 'contribution')::float8)::float8 as total
      from ${scores} inner join ${customers} on ${customers.id} = ${scores.customerId} ${joinCurrentFeatures}
        cross join generate_series(0, ${STORED_DRIVER_COUNT - 1}::int) as d(i)
      where ${scoped} and ${active} and ${driver} is not null
      group by 1, 2, 3`),
  );

  const hasValue = aggregates.some((r) => num(r.valued) > 0);
  const totals: SegmentTotals = {
    customers: 0,
    active: 0,
    lost: 0,
    observedChurnRate: null,
    meanRisk: null,
    highRisk: 0,
    revenueAtRisk: hasValue ? 0 : null,
  };
  let labelled = 0;
  let riskSum = 0;
  for (const r of aggregates) {
    totals.customers += num(r.customers);
    totals.active += num(r.active);
    totals.lost += num(r.lost);
    totals.highRisk += num(r.high_risk);
    labelled += num(r.labelled);
    riskSum += num(r.mean_risk) * num(r.active);
    if (totals.revenueAtRisk !== null) totals.revenueAtRisk += num(r.revenue);
  }
  totals.observedChurnRate = labelled > 0 ? totals.lost / labelled : null;
  totals.meanRisk = totals.active > 0 ? riskSum / totals.active : null;

  const overall = new Map<string, number>();
  const bySegment = new Map<string, Map<string, number>>();
  for (const d of driverRows) {
    const total = num(d.total);
    overall.set(d.column, (overall.get(d.column) ?? 0) + total);
    const id = JSON.stringify([d.k1, d.k2]);
    const map = bySegment.get(id) ?? new Map<string, number>();
    map.set(d.column, total);
    bySegment.set(id, map);
  }

  const rows: SegmentRow[] = aggregates.map((r) => {
    const activeCount = num(r.active);
    const segmentDrivers = bySegment.get(JSON.stringify([r.k1, r.k2])) ?? new Map<string, number>();
    const topDrivers = [...segmentDrivers]
      .map(([column, total]) => ({
        column,
        segmentPoints: activeCount > 0 ? total / activeCount : 0,
        overallPoints: totals.active > 0 ? (overall.get(column) ?? 0) / totals.active : 0,
      }))
      .filter((d) => d.segmentPoints > 0)
      .sort(
        (a, b) =>
          b.segmentPoints - b.overallPoints - (a.segmentPoints - a.overallPoints) ||
          a.column.localeCompare(b.column),
      )
      .slice(0, 3);
    const values = [r.k1, r.k2].slice(0, keys.length);
    const key = keys.map((k, i) => segmentValueOf(k, values[i]));
    const filterable = keys.every((k, i) => k.bins === null && values[i] !== null);
    return {
      key,
      customers: num(r.customers),
      active: activeCount,
      lost: num(r.lost),
      observedChurnRate: num(r.labelled) > 0 ? num(r.lost) / num(r.labelled) : null,
      meanRisk: activeCount > 0 ? numOrNull(r.mean_risk) : null,
      highRisk: num(r.high_risk),
      revenueAtRisk: hasValue ? num(r.revenue) : null,
      topDrivers,
      customerFilters: filterable ? key.map((v) => ({ column: v.column, value: v.value as string })) : null,
    };
  });
  rows.sort(
    (a, b) =>
      b.customers - a.customers ||
      a.key
        .map((k) => k.label)
        .join()
        .localeCompare(b.key.map((k) => k.label).join()),
  );
  const kept = rows.slice(0, MAX_SEGMENTS);
  return {
    ...base,
    columns: keys.map((k, i) => ({
      name: k.column.name,
      type: k.column.type,
      labels: orderedLabels(
        k,
        kept.map((r) => r.key[i]),
      ),
    })),
    rows: kept,
    totals,
    omitted: rows.length - kept.length,
  };
}

function segmentValueOf(key: SegmentKey, value: string | null): SegmentValue {
  return {
    column: key.column.name,
    value: key.bins ? null : value,
    label: segmentLabel(key, value),
  };
}

/** Bins in numeric order, categories by size (as the rows are sorted), "Missing" last. */
function orderedLabels(key: SegmentKey, values: SegmentValue[]): string[] {
  const seen = [...new Set(values.map((v) => v.label))];
  const order = key.bins ? key.bins.map((b) => b.label) : seen;
  const known = order.filter((l) => seen.includes(l) && l !== "Missing");
  return seen.includes("Missing") ? [...known, "Missing"] : known;
}
