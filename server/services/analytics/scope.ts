/**
 * What analytics reads for a dataset: the champion and the version it scored (training scores the
 * version it trained on), or the latest version when there is no champion yet (retention curves
 * need only the data). Columns come from the version's schema and are data: they are offered to
 * the user from here and checked against this list before they reach a query as a parameter.
 */
import { TRPCError } from "@trpc/server";
import { and, desc, eq } from "drizzle-orm";
import {
  type DurationUnit,
  detectDurationColumn,
  durationChoices,
  durationUnitOf,
} from "@/lib/analytics/duration-column";
import { type DatasetSchema, parseDatasetSchema } from "@/lib/ml/data";
import type { Database } from "../../db/client";
import { datasets, datasetVersions, models } from "../../db/schema";
import { monthlyValueColumn } from "../datasets/import";
import type { StoredModelCurves, StoredModelMetrics } from "../models/stored";

export type SegmentColumnType = "categorical" | "boolean" | "numeric";

export interface SegmentColumn {
  name: string;
  type: SegmentColumnType;
  /** Categorical and boolean columns: their most frequent values (at most ten), for filters. */
  values: string[];
}

export interface AnalyticsChampion {
  id: number;
  version: number;
  algorithm: string;
  cvAuc: number;
  f1Churn: number;
  f1Weighted: number;
  brier: number;
  threshold: number;
  trainedAt: Date;
  datasetVersionId: number;
  curves: StoredModelCurves;
  metrics: StoredModelMetrics;
  importance: { column: string; value: number }[];
}

export interface AnalyticsScope {
  dataset: { id: number; name: string };
  champion: AnalyticsChampion | null;
  version: { id: number; version: number; rowCount: number; createdAt: Date } | null;
  schema: DatasetSchema | null;
  /** Columns a segment can be made of: features that are not personal data. */
  segmentColumns: SegmentColumn[];
  /** The column holding monthly revenue (customers.monthly_value), or null. */
  monthlyValueColumn: string | null;
  duration: { detected: string | null; choices: string[]; unit: DurationUnit | null };
}

export async function resolveAnalyticsScope(db: Database, datasetId: number): Promise<AnalyticsScope> {
  const [dataset] = await db
    .select({ id: datasets.id, name: datasets.name })
    .from(datasets)
    .where(eq(datasets.id, datasetId));
  if (!dataset) {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `Dataset ${datasetId} does not exist (it may have been deleted).`,
    });
  }
  const [champion] = await db
    .select({
      id: models.id,
      version: models.version,
      algorithm: models.algorithm,
      cvAuc: models.cvAuc,
      f1Churn: models.f1Churn,
      f1Weighted: models.f1Weighted,
      brier: models.brier,
      threshold: models.threshold,
      trainedAt: models.createdAt,
      datasetVersionId: models.datasetVersionId,
      curves: models.curves,
      metrics: models.metrics,
      importance: models.importance,
    })
    .from(models)
    .where(and(eq(models.datasetId, datasetId), eq(models.status, "champion")));
  const [version] = await db
    .select({
      id: datasetVersions.id,
      version: datasetVersions.version,
      rowCount: datasetVersions.rowCount,
      createdAt: datasetVersions.createdAt,
      schema: datasetVersions.schema,
    })
    .from(datasetVersions)
    .where(
      champion ? eq(datasetVersions.id, champion.datasetVersionId) : eq(datasetVersions.datasetId, datasetId),
    )
    .orderBy(desc(datasetVersions.version))
    .limit(1);
  const schema = version ? parseDatasetSchema(version.schema) : null;
  const columns = schema ? [...schema.columns].sort((a, b) => a.index - b.index) : [];
  const segmentColumns: SegmentColumn[] = columns
    .filter(
      (c) =>
        c.role === "feature" &&
        c.personalData === null &&
        (c.type === "categorical" || c.type === "boolean" || c.type === "numeric"),
    )
    .map((c) => ({
      name: c.name,
      type: c.type as SegmentColumnType,
      values: c.type === "numeric" ? [] : c.stats.topValues.map((v) => v.value),
    }));
  const candidates = columns
    .filter((c) => c.personalData === null)
    .map((c) => ({ name: c.name, type: c.type, role: c.role, min: c.stats.min }));
  const detected = detectDurationColumn(candidates);
  return {
    dataset,
    champion: champion
      ? {
          ...champion,
          curves: champion.curves as unknown as StoredModelCurves,
          metrics: champion.metrics as unknown as StoredModelMetrics,
        }
      : null,
    version: version
      ? { id: version.id, version: version.version, rowCount: version.rowCount, createdAt: version.createdAt }
      : null,
    schema,
    segmentColumns,
    monthlyValueColumn: schema ? monthlyValueColumn(schema) : null,
    duration: {
      detected,
      choices: durationChoices(candidates),
      unit: detected ? durationUnitOf(detected) : null,
    },
  };
}

/** The column if it is one of the scope's segment columns, else BAD_REQUEST naming it. */
export function segmentColumnOf(scope: AnalyticsScope, name: string): SegmentColumn {
  const column = scope.segmentColumns.find((c) => c.name === name);
  if (!column) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `"${name.slice(0, 60)}" is not a column of this dataset that customers can be grouped by.`,
    });
  }
  return column;
}

/** The duration column if the user may choose it, else BAD_REQUEST naming it. */
export function durationColumnOf(scope: AnalyticsScope, name: string | undefined): string | null {
  if (name === undefined) return scope.duration.detected;
  if (!scope.duration.choices.includes(name)) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `"${name.slice(0, 60)}" is not a numeric column that can measure how long someone has been a customer.`,
    });
  }
  return name;
}
