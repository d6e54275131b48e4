/**
 * Reading the model registry: the leaderboard (sorted and filtered in SQL on the denormalised
 * metric columns), a model's full record with its lineage, and two models side by side.
 */
import { TRPCError } from "@trpc/server";
import { and, asc, desc, eq, inArray, type SQL } from "drizzle-orm";
import { z } from "zod";
import { ALGORITHMS } from "@/lib/ml/types";
import type { Database } from "../../db/client";
import { datasets, datasetVersions, MODEL_STATUSES, models, trainingRuns, users } from "../../db/schema";

export const LEADERBOARD_SORTS = [
  "cvAuc",
  "f1Churn",
  "f1Weighted",
  "brier",
  "fitSeconds",
  "createdAt",
  "version",
] as const;
export type LeaderboardSort = (typeof LEADERBOARD_SORTS)[number];

export const listModelsInputSchema = z.object({
  datasetId: z.number().int().positive().optional(),
  algorithm: z.enum(ALGORITHMS).optional(),
  status: z.enum(MODEL_STATUSES).optional(),
  runId: z.number().int().positive().optional(),
  sort: z.enum(LEADERBOARD_SORTS).default("cvAuc"),
  /** Default: best first (descending, ascending for Brier and fit time where lower is better). */
  direction: z.enum(["asc", "desc"]).optional(),
  limit: z.number().int().min(1).max(500).default(200),
});
export type ListModelsInput = z.input<typeof listModelsInputSchema>;

const SORT_COLUMNS = {
  cvAuc: models.cvAuc,
  f1Churn: models.f1Churn,
  f1Weighted: models.f1Weighted,
  brier: models.brier,
  fitSeconds: models.fitSeconds,
  createdAt: models.createdAt,
  version: models.version,
} as const;

const LOWER_IS_BETTER = new Set<LeaderboardSort>(["brier", "fitSeconds"]);

const leaderboardColumns = {
  id: models.id,
  runId: models.runId,
  datasetId: models.datasetId,
  datasetName: datasets.name,
  datasetVersionId: models.datasetVersionId,
  datasetVersion: datasetVersions.version,
  algorithm: models.algorithm,
  version: models.version,
  status: models.status,
  cvAuc: models.cvAuc,
  cvAucStd: models.cvAucStd,
  f1Churn: models.f1Churn,
  f1Weighted: models.f1Weighted,
  brier: models.brier,
  fitSeconds: models.fitSeconds,
  threshold: models.threshold,
  createdAt: models.createdAt,
  promotedAt: models.promotedAt,
};

export type LeaderboardRow = Awaited<ReturnType<typeof listModels>>[number];

export async function listModels(db: Database, input: ListModelsInput = {}) {
  const query = listModelsInputSchema.parse(input);
  const conditions: SQL[] = [];
  if (query.datasetId !== undefined) conditions.push(eq(models.datasetId, query.datasetId));
  if (query.algorithm !== undefined) conditions.push(eq(models.algorithm, query.algorithm));
  if (query.status !== undefined) conditions.push(eq(models.status, query.status));
  if (query.runId !== undefined) conditions.push(eq(models.runId, query.runId));
  const direction = query.direction ?? (LOWER_IS_BETTER.has(query.sort) ? "asc" : "desc");
  const order = direction === "asc" ? asc : desc;
  return db
    .select(leaderboardColumns)
    .from(models)
    .innerJoin(datasets, eq(datasets.id, models.datasetId))
    .innerJoin(datasetVersions, eq(datasetVersions.id, models.datasetVersionId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(order(SORT_COLUMNS[query.sort]), desc(models.id))
    .limit(query.limit);
}

/** Datasets that have models (the leaderboard's dataset filter). */
export async function listModelDatasets(db: Database): Promise<{ id: number; name: string }[]> {
  return db
    .selectDistinct({ id: datasets.id, name: datasets.name })
    .from(datasets)
    .innerJoin(models, eq(models.datasetId, datasets.id))
    .orderBy(asc(datasets.name));
}

export interface ModelReadOptions {
  /**
   * Whether to name the trainer by email as well as by name. Only admins see other people's email
   * addresses; everyone else gets the name.
   */
  includeEmails?: boolean;
}

export async function getModel(db: Database, modelId: number, options: ModelReadOptions = {}) {
  const [row] = await db
    .select({
      model: models,
      dataset: { id: datasets.id, name: datasets.name },
      datasetVersion: {
        id: datasetVersions.id,
        version: datasetVersions.version,
        fileName: datasetVersions.fileName,
        rowCount: datasetVersions.rowCount,
        sha256: datasetVersions.sha256,
        createdAt: datasetVersions.createdAt,
      },
      run: {
        id: trainingRuns.id,
        params: trainingRuns.params,
        trigger: trainingRuns.trigger,
        createdAt: trainingRuns.createdAt,
        finishedAt: trainingRuns.finishedAt,
        status: trainingRuns.status,
      },
      trainedBy: { id: users.id, name: users.name, email: users.email },
    })
    .from(models)
    .innerJoin(datasets, eq(datasets.id, models.datasetId))
    .innerJoin(datasetVersions, eq(datasetVersions.id, models.datasetVersionId))
    .innerJoin(trainingRuns, eq(trainingRuns.id, models.runId))
    .leftJoin(users, eq(users.id, models.trainedById))
    .where(eq(models.id, modelId));
  if (!row)
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `Model ${modelId} does not exist (it may have been deleted).`,
    });
  const { artifactKey: _key, ...model } = row.model;
  return {
    ...model,
    dataset: row.dataset,
    datasetVersion: row.datasetVersion,
    run: row.run,
    // A left join yields an object of nulls when the trainer's account was deleted.
    trainedBy: row.trainedBy?.id ? trainerOf(row.trainedBy, options) : null,
  };
}

function trainerOf(
  trainer: { id: number; name: string; email: string },
  options: ModelReadOptions,
): { id: number; name: string; email?: string } {
  return options.includeEmails ? trainer : { id: trainer.id, name: trainer.name };
}

export type ModelDetail = Awaited<ReturnType<typeof getModel>>;

export async function compareModels(db: Database, a: number, b: number, options: ModelReadOptions = {}) {
  const [left, right] = await Promise.all([getModel(db, a, options), getModel(db, b, options)]);
  return { a: left, b: right, isSameDataset: left.dataset.id === right.dataset.id };
}

/** Models of the given ids with their leaderboard numbers (the training page's per-model view). */
export async function modelsOfRuns(db: Database, runIds: number[]) {
  if (runIds.length === 0) return [];
  return db
    .select({
      ...leaderboardColumns,
      metrics: models.metrics,
    })
    .from(models)
    .innerJoin(datasets, eq(datasets.id, models.datasetId))
    .innerJoin(datasetVersions, eq(datasetVersions.id, models.datasetVersionId))
    .where(inArray(models.runId, runIds))
    .orderBy(asc(models.id));
}
