/**
 * The segment explorer: customers grouped by one or two columns (categorical values, or numeric
 * quantile bins), with, per segment, active and lost customers, observed churn, the champion's
 * mean risk and revenue at risk over active customers, and the segment's top drivers (mean stored
 * driver contribution inside the segment against the overall mean). One statement over the
 * champion's scores joined to the version's customers (segmentAggregates), under
 * withAnalyticalSettings; nothing loops over customers in JavaScript.
 */
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { withAnalyticalSettings } from "../../db/analytical";
import type { Database } from "../../db/client";
import { customers, GENERATED_DRIVER_POSITIONS, scores } from "../../db/schema";
import { joinCurrentFeatures } from "../customers/current-features";
import { customerStatusCondition } from "../customers/status";
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

const SEGMENT_ROW = 0;
const DRIVER_ROW = 1;

interface AggregateRow {
  /** SEGMENT_ROW: one per segment (column null); DRIVER_ROW: one per segment and driver column. */
  kind: number;
  k1: string | null;
  k2: string | null;
  column: string | null;
  /** DRIVER_ROW: Σ of the column's stored contribution over the segment's active customers. */
  total: unknown;
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
  const aggregates = await segmentAggregates(db, scope.champion.id, versionId, keys);
  const driverRows = aggregates.filter((r) => r.kind === DRIVER_ROW);
  const segmentRows = aggregates.filter((r) => r.kind === SEGMENT_ROW);

  const hasValue = segmentRows.some((r) => num(r.valued) > 0);
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
  for (const r of segmentRows) {
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
    const column = d.column as string;
    overall.set(column, (overall.get(column) ?? 0) + total);
    const id = JSON.stringify([d.k1, d.k2]);
    const map = bySegment.get(id) ?? new Map<string, number>();
    map.set(column, total);
    bySegment.set(id, map);
  }

  const rows: SegmentRow[] = segmentRows.map((r) => {
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

/**
 * One pass over the champion's scores joined to the version's customers. The segment keys are
 * extracted from the customers' features before the join, so the join carries a few narrow
 * columns instead of every customer's jsonb. The drivers are grouped by their tuple of columns
 * (scores.driver_columns, generated from scores.drivers), summing each position's contribution
 * (scores.driver_points): the fan-out to one row per driver then happens over those few groups,
 * not over every customer. Both kinds of row come back from one statement.
 */
async function segmentAggregates(
  db: Database,
  championId: number,
  versionId: number,
  keys: SegmentKey[],
): Promise<AggregateRow[]> {
  const k1 = keys[0].expression;
  const k2: SQL = keys[1]?.expression ?? sql`null::text`;
  const positions = Array.from({ length: GENERATED_DRIVER_POSITIONS }, (_, i) => i + 1);
  const points = sql.join(
    positions.map((i) => sql`sum(s.driver_points[${sql.raw(String(i))}]) filter (where k.active)`),
    sql`, `,
  );
  return rowsOf<AggregateRow>(
    await db.execute(sql`
      with g as materialized (
        select k.k1, k.k2, s.driver_columns as dc,
          count(*)::int as customers,
          count(*) filter (where k.active)::int as active,
          count(*) filter (where k.lost)::int as lost,
          count(k.label)::int as labelled,
          sum(s.risk_score::float8) filter (where k.active) as risk_sum,
          count(*) filter (where k.active and s.risk_level = 'high')::int as high_risk,
          sum(k.monthly_value::float8 * s.risk_score::float8) filter (where k.active) as revenue,
          count(k.monthly_value) filter (where k.active)::int as valued,
          array[${points}]::float8[] as points
        from ${scores} s inner join (
          select ${customers.id} as id, ${customers.label} as label, ${customers.monthlyValue} as monthly_value,
            ${customerStatusCondition("active")} as active, ${customerStatusCondition("lost")} as lost,
            ${k1} as k1, ${k2} as k2
          from ${customers} ${joinCurrentFeatures}
          where ${customers.datasetVersionId} = ${versionId} offset 0
        ) k on k.id = s.customer_id
        where s.model_id = ${championId}
        group by 1, 2, 3)
      select ${SEGMENT_ROW}::int as kind, k1, k2, null::text as "column", null::float8 as total,
        sum(customers)::int as customers, sum(active)::int as active, sum(lost)::int as lost,
        sum(labelled)::int as labelled, (sum(risk_sum) / nullif(sum(active), 0))::float8 as mean_risk,
        sum(high_risk)::int as high_risk, sum(revenue)::float8 as revenue, sum(valued)::int as valued
      from g group by k1, k2
      union all
      select ${DRIVER_ROW}::int, k1, k2, d.col, sum(d.p)::float8, null, null, null, null, null, null, null, null
      from g cross join lateral unnest(g.dc, g.points) as d(col, p)
      where d.col is not null and d.p is not null
      group by k1, k2, d.col`),
  );
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
