/**
 * A segment column as SQL: the customer's value of a categorical column, or the quantile bin of a
 * numeric one. The column name is always a bound parameter (`features -> $1`), never SQL text.
 * Segments read the customers' current values; survival curves the upload (FeatureSource).
 */
import { type SQL, sql } from "drizzle-orm";
import {
  DEFAULT_QUANTILE_BINS,
  distinctCuts,
  type NumericBin,
  numericBins,
  quantileFractions,
} from "@/lib/analytics/segment-bins";
import type { Database } from "../../db/client";
import { customers } from "../../db/schema";
import { currentFeatures, joinCurrentFeatures } from "../customers/current-features";
import { rowsOf } from "./rows";
import type { SegmentColumn } from "./scope";

export interface SegmentKey {
  column: SegmentColumn;
  /** Text for categorical columns, the bin number (as text) for numeric ones; null = missing. */
  expression: SQL;
  /** Numeric columns: the bins the numbers map to. */
  bins: NumericBin[] | null;
}

/**
 * Which values a key reads: "uploaded" (the file's row: survival curves, the history as recorded)
 * or "current" (what live events left; the query must then `joinCurrentFeatures`).
 */
export type FeatureSource = "uploaded" | "current";

function featuresOf(source: FeatureSource): SQL {
  return source === "current" ? currentFeatures : sql`${customers.features}`;
}

/** Numeric values only: a text value in a numeric column (never written by the import) is missing. */
export function numericValue(column: string, source: FeatureSource = "uploaded"): SQL {
  const features = featuresOf(source);
  return sql`(case when jsonb_typeof(${features} -> ${column}::text) = 'number'
    then (${features} ->> ${column}::text)::float8 end)`;
}

export async function segmentKeyOf(
  db: Database,
  column: SegmentColumn,
  versionId: number,
  binCount = DEFAULT_QUANTILE_BINS,
  source: FeatureSource = "uploaded",
): Promise<SegmentKey> {
  if (column.type !== "numeric") {
    return { column, expression: sql`(${featuresOf(source)} ->> ${column.name}::text)`, bins: null };
  }
  const fractions = quantileFractions(binCount);
  const value = numericValue(column.name, source);
  const [row] = rowsOf<{ cuts: (number | string | null)[] | string | null }>(
    await db.execute(sql`
      select percentile_cont(array[${sql.join(
        fractions.map((f) => sql`${f}::float8`),
        sql`, `,
      )}]) within group (order by ${value}) as cuts
      from ${customers} ${source === "current" ? joinCurrentFeatures : sql``}
      where ${customers.datasetVersionId} = ${versionId} and ${value} is not null`),
  );
  const cuts = distinctCuts(parseNumberArray(row?.cuts ?? null));
  const bins = numericBins(cuts);
  const expression =
    cuts.length === 0
      ? sql`(case when ${value} is null then null else '0' end)`
      : sql`(width_bucket(${value}, array[${sql.join(
          cuts.map((c) => sql`${c}::float8`),
          sql`, `,
        )}]::float8[])::text)`;
  return { column, expression, bins };
}

/** A float8[] as either driver returns it: an array, or PostgreSQL's text form "{1,2.5}". */
export function parseNumberArray(value: (number | string | null)[] | string | null): (number | null)[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value.map((v) => (v === null ? null : Number(v)));
  const inner = value.replace(/^\{|\}$/g, "");
  if (inner === "") return [];
  return inner.split(",").map((v) => (v === "NULL" ? null : Number(v)));
}

/** The label of a key value as shown to people. */
export function segmentLabel(key: SegmentKey, value: string | null): string {
  if (value === null) return "Missing";
  if (!key.bins) return value;
  return key.bins[Number(value)]?.label ?? value;
}
