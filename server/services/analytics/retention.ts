/**
 * Retention curves: Kaplan–Meier survival over a tenure-like column, overall and per segment, with
 * the expected remaining lifetime that turns a monthly value into a lifetime value. The database
 * counts leavers (lost customers: the event) and stayers (active: censored) per whole duration
 * unit and segment; lib/analytics/kaplan-meier.ts does the product-limit over those few rows.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import { durationUnitOf } from "@/lib/analytics/duration-column";
import {
  type DurationCount,
  kaplanMeier,
  remainingLifetimeOf,
  remainingLifetimeTable,
  type SurvivalCurve,
  type SurvivalPoint,
} from "@/lib/analytics/kaplan-meier";
import { withAnalyticalSettings } from "../../db/analytical";
import type { Database } from "../../db/client";
import { customers } from "../../db/schema";
import { customerStatusCondition } from "../customers/status";
import { cachedAnalytics } from "./cache";
import { num, rowsOf } from "./rows";
import { type AnalyticsScope, durationColumnOf, resolveAnalyticsScope, segmentColumnOf } from "./scope";
import { numericValue, segmentKeyOf, segmentLabel } from "./segment-key";

/** Segments drawn at most (the largest); the rest are summarised in `omitted`. */
export const MAX_CURVES = 8;

export const retentionInputSchema = z.object({
  datasetId: z.number().int().positive(),
  /** Default: the detected tenure-like column. */
  durationColumn: z.string().min(1).max(200).optional(),
  segmentColumn: z.string().min(1).max(200).optional(),
});
export type RetentionInput = z.input<typeof retentionInputSchema>;

export interface RetentionCurve {
  label: string;
  customers: number;
  lost: number;
  medianLifetime: number | null;
  points: SurvivalPoint[];
}

export interface RetentionAnalysis {
  datasetId: number;
  durationColumn: string | null;
  unit: string | null;
  choices: string[];
  overall: RetentionCurve | null;
  segments: RetentionCurve[];
  segmentColumn: string | null;
  omitted: number;
  /** Expected remaining lifetime (in `unit`) by current duration, for lifetime values. */
  remaining: { time: number; remaining: number }[];
  /** Over active customers with a duration: mean expected remaining lifetime and Σ value × it. */
  active: { customers: number; meanRemaining: number | null; lifetimeValue: number | null } | null;
}

export async function analyseRetention(db: Database, input: RetentionInput): Promise<RetentionAnalysis> {
  const query = retentionInputSchema.parse(input);
  const scope = await resolveAnalyticsScope(db, query.datasetId);
  const durationColumn = durationColumnOf(scope, query.durationColumn);
  const segment = query.segmentColumn === undefined ? null : segmentColumnOf(scope, query.segmentColumn);
  return cachedAnalytics(
    db,
    ["retention", scope.version?.id ?? null, durationColumn, segment?.name ?? null],
    () =>
      withAnalyticalSettings(db, (tx) => computeRetention(tx, scope, durationColumn, segment?.name ?? null)),
  );
}

/** Survival curve of a version over a duration column, for callers that need only the curve (planner). */
export async function survivalCurveOf(
  db: Database,
  versionId: number,
  durationColumn: string,
): Promise<SurvivalCurve> {
  const counts = await withAnalyticalSettings(db, (tx) =>
    durationCounts(tx, versionId, durationColumn, null),
  );
  return kaplanMeier(counts.map((c) => ({ time: c.time, events: c.events, censored: c.censored })));
}

async function durationCounts(
  db: Database,
  versionId: number,
  durationColumn: string,
  segment: ReturnType<typeof sql> | null,
) {
  const duration = numericValue(durationColumn);
  // Whole units (months, days): durations are counted that way and it bounds the groups.
  // The active customers' monthly values ride along, so lifetime values need no second scan.
  const rows = rowsOf<{
    k: string | null;
    t: unknown;
    events: unknown;
    censored: unknown;
    valued: unknown;
    value: unknown;
  }>(
    await db.execute(sql`
      select ${segment ?? sql`null::text`} as k, floor(${duration})::float8 as t,
        count(*) filter (where ${customerStatusCondition("lost")})::int as events,
        count(*) filter (where ${customerStatusCondition("active")})::int as censored,
        count(${customers.monthlyValue}) filter (where ${customerStatusCondition("active")})::int as valued,
        sum(${customers.monthlyValue}::float8) filter (where ${customerStatusCondition("active")})::float8 as value
      from ${customers}
      where ${customers.datasetVersionId} = ${versionId} and ${duration} >= 0
      group by 1, 2`),
  );
  return rows.map((r) => ({
    key: r.k,
    time: num(r.t),
    events: num(r.events),
    censored: num(r.censored),
    valued: num(r.valued),
    value: num(r.value),
  }));
}

function curveOf(label: string, counts: DurationCount[]): RetentionCurve {
  const km = kaplanMeier(counts);
  return {
    label,
    customers: km.customers,
    lost: km.events,
    medianLifetime: km.medianLifetime,
    points: km.points,
  };
}

async function computeRetention(
  db: Database,
  scope: AnalyticsScope,
  durationColumn: string | null,
  segmentColumn: string | null,
): Promise<RetentionAnalysis> {
  const empty: RetentionAnalysis = {
    datasetId: scope.dataset.id,
    durationColumn,
    unit: durationColumn ? durationUnitOf(durationColumn) : null,
    choices: scope.duration.choices,
    overall: null,
    segments: [],
    segmentColumn,
    omitted: 0,
    remaining: [],
    active: null,
  };
  if (!scope.version || !durationColumn) return empty;
  const versionId = scope.version.id;
  const key = segmentColumn ? await segmentKeyOf(db, segmentColumnOf(scope, segmentColumn), versionId) : null;
  const counts = await durationCounts(db, versionId, durationColumn, key?.expression ?? null);
  if (counts.length === 0) return empty;

  const overallCurve = kaplanMeier(counts);
  const overall = curveOf("All customers", counts);
  const bySegment = new Map<string | null, DurationCount[]>();
  for (const c of counts) {
    const list = bySegment.get(c.key) ?? [];
    list.push(c);
    bySegment.set(c.key, list);
  }
  const segments = key
    ? [...bySegment]
        .map(([value, list]) => curveOf(segmentLabel(key, value), list))
        .sort((a, b) => b.customers - a.customers)
    : [];

  // Remaining lifetime of every active customer from its whole duration (longer durations than
  // the longest observed get the memoryless tail value), folded over the (segment, duration)
  // groups counted above: Σ active × remaining and Σ monthly value × remaining.
  const table = remainingLifetimeTable(overallCurve);
  const maxTime = Math.min(overallCurve.maxTime, 100_000);
  const tail = remainingLifetimeOf(table, Number.MAX_SAFE_INTEGER);
  let activeCount = 0;
  let remainingSum = 0;
  let valued = 0;
  let lifetimeValue = 0;
  for (const c of counts) {
    const r = c.time <= maxTime ? remainingLifetimeOf(table, c.time) : tail;
    activeCount += c.censored;
    remainingSum += c.censored * r;
    valued += c.valued;
    lifetimeValue += c.value * r;
  }
  return {
    ...empty,
    overall,
    segments: segments.slice(0, MAX_CURVES),
    omitted: Math.max(0, segments.length - MAX_CURVES),
    remaining: table,
    active: {
      customers: activeCount,
      meanRemaining: activeCount > 0 ? remainingSum / activeCount : null,
      lifetimeValue: valued > 0 ? lifetimeValue : null,
    },
  };
}
