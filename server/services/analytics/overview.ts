/**
 * What the Analytics page needs before it asks for numbers: the dataset's champion (if any), the
 * columns customers can be grouped by, the tenure-like column, the currency and the champion's
 * quality in plain words (its lift and gain charts stay on the model page).
 */
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { expectedCalibrationError } from "@/lib/analytics/calibration-band";
import { type ModelQuality, modelQuality } from "@/lib/analytics/model-quality";
import type { Database } from "../../db/client";
import { datasets, models } from "../../db/schema";
import { getCurrency } from "../settings";
import { resolveAnalyticsScope, type SegmentColumn } from "./scope";

export const overviewInputSchema = z.object({ datasetId: z.number().int().positive() });

export interface AnalyticsOverview {
  dataset: { id: number; name: string };
  version: { id: number; version: number; rowCount: number } | null;
  champion: {
    id: number;
    version: number;
    algorithm: string;
    cvAuc: number;
    quality: ModelQuality;
    /** Mean |predicted − observed| churn over held-out risk bins, weighted by customers. */
    calibrationError: number | null;
  } | null;
  segmentColumns: SegmentColumn[];
  /** Columns to start the explorer with: the champion's most important grouping columns. */
  suggestedColumns: string[];
  duration: { detected: string | null; choices: string[]; unit: string | null };
  hasMonthlyValue: boolean;
  currency: string;
}

export async function analyticsOverview(db: Database, datasetId: number): Promise<AnalyticsOverview> {
  const [scope, currency] = await Promise.all([resolveAnalyticsScope(db, datasetId), getCurrency(db)]);
  const champion = scope.champion;
  const byImportance = champion
    ? champion.importance
        .map((i) => i.column)
        .filter((name) => scope.segmentColumns.some((c) => c.name === name))
    : [];
  const categoricalFirst = [
    ...byImportance.filter((n) => scope.segmentColumns.find((c) => c.name === n)?.type !== "numeric"),
    ...scope.segmentColumns.filter((c) => c.type !== "numeric").map((c) => c.name),
  ];
  return {
    dataset: scope.dataset,
    version: scope.version,
    champion: champion
      ? {
          id: champion.id,
          version: champion.version,
          algorithm: champion.algorithm,
          cvAuc: champion.cvAuc,
          quality: modelQuality(
            champion.metrics?.test?.rocAuc ?? champion.cvAuc,
            champion.curves?.test?.lift,
          ),
          calibrationError: expectedCalibrationError(champion.curves?.test?.calibration ?? []),
        }
      : null,
    segmentColumns: scope.segmentColumns,
    suggestedColumns: [...new Set(categoricalFirst)].slice(0, 2),
    duration: scope.duration,
    hasMonthlyValue: scope.monthlyValueColumn !== null,
    currency,
  };
}

/** Datasets for the pickers, newest first, with whether each has a champion. */
export async function listAnalyticsDatasets(db: Database) {
  const rows = await db
    .select({ id: datasets.id, name: datasets.name, championId: models.id })
    .from(datasets)
    .leftJoin(models, and(eq(models.datasetId, datasets.id), eq(models.status, "champion")))
    .orderBy(desc(datasets.createdAt), desc(datasets.id));
  return rows.map((r) => ({ id: r.id, name: r.name, hasChampion: r.championId !== null }));
}
