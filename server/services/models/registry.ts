/**
 * The model registry's writes: registering a trained model as a candidate (idempotent per run and
 * algorithm), and changing the champion (automatic after training, promotion, rollback). At most
 * one champion per dataset is enforced by the partial unique index models_one_champion_per_dataset;
 * changes of champion lock the dataset row first so two promotions cannot interleave, and are
 * audited in the same transaction.
 */
import { TRPCError } from "@trpc/server";
import { and, desc, eq, isNotNull, ne, sql } from "drizzle-orm";
import type { ModelAlgorithm } from "@/lib/ml/types";
import type { Database } from "../../db/client";
import { datasets, models } from "../../db/schema";
import { startDurableWork } from "../../durable/port";
import { logger } from "../../log";
import { type Actor, recordAudit } from "../audit";

export type ModelRecord = typeof models.$inferSelect;

export interface CandidateModelInput {
  runId: number;
  datasetId: number;
  datasetVersionId: number;
  algorithm: ModelAlgorithm;
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
  curves: Record<string, unknown>;
  threshold: number;
  cvAuc: number;
  cvAucStd: number;
  f1Churn: number;
  f1Weighted: number;
  brier: number;
  fitSeconds: number;
  artifactKey: string;
  artifactSha256: string;
  trainedById: number | null;
}

/** Locks the dataset row: serialises version numbering and champion changes per dataset. */
async function lockDataset(tx: Database, datasetId: number): Promise<void> {
  const [row] = await tx
    .select({ id: datasets.id })
    .from(datasets)
    .where(eq(datasets.id, datasetId))
    .for("update");
  if (!row)
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `Dataset ${datasetId} does not exist (it may have been deleted).`,
    });
}

/**
 * Inserts the model of (run, algorithm), or overwrites it when a retried training step registers
 * it again: same row, same version number, fresh metrics and artifact checksum.
 */
export async function upsertCandidateModel(
  db: Database,
  input: CandidateModelInput,
): Promise<{ id: number; version: number; status: ModelRecord["status"] }> {
  return db.transaction(async (tx) => {
    await lockDataset(tx, input.datasetId);
    const values = {
      params: input.params,
      metrics: input.metrics,
      curves: input.curves,
      threshold: input.threshold,
      cvAuc: input.cvAuc,
      cvAucStd: input.cvAucStd,
      f1Churn: input.f1Churn,
      f1Weighted: input.f1Weighted,
      brier: input.brier,
      fitSeconds: input.fitSeconds,
      artifactKey: input.artifactKey,
      artifactSha256: input.artifactSha256,
    };
    const [existing] = await tx
      .select({ id: models.id, version: models.version, status: models.status })
      .from(models)
      .where(and(eq(models.runId, input.runId), eq(models.algorithm, input.algorithm)));
    if (existing) {
      // Importance is recomputed by the explain step from the (possibly new) artifact.
      await tx
        .update(models)
        .set({ ...values, importance: [] })
        .where(eq(models.id, existing.id));
      return existing;
    }
    const [{ next }] = await tx
      .select({ next: sql<number>`coalesce(max(${models.version}), 0) + 1` })
      .from(models)
      .where(eq(models.datasetId, input.datasetId));
    const [created] = await tx
      .insert(models)
      .values({
        ...values,
        runId: input.runId,
        datasetId: input.datasetId,
        datasetVersionId: input.datasetVersionId,
        algorithm: input.algorithm,
        version: Number(next),
        status: "candidate",
        importance: [],
        trainedById: input.trainedById,
      })
      .returning({ id: models.id, version: models.version, status: models.status });
    return created;
  });
}

export interface ChampionChange {
  modelId: number;
  datasetId: number;
  /** The champion before the change (now archived), or null. */
  previousChampionId: number | null;
  /** False when the model already was the champion (nothing written, nothing audited). */
  changed: boolean;
}

/**
 * Makes a model its dataset's champion: the current champion becomes archived, the change is
 * audited as `action` in the same transaction.
 */
export async function setChampion(
  db: Database,
  actor: Actor,
  modelId: number,
  audit: { action: string; details?: Record<string, unknown> },
): Promise<ChampionChange> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ datasetId: models.datasetId })
      .from(models)
      .where(eq(models.id, modelId));
    if (!found)
      throw new TRPCError({
        code: "NOT_FOUND",
        message: `Model ${modelId} does not exist (it may have been deleted).`,
      });
    await lockDataset(tx, found.datasetId);
    const [model] = await tx.select().from(models).where(eq(models.id, modelId));
    if (model.status === "champion") {
      return { modelId, datasetId: model.datasetId, previousChampionId: null, changed: false };
    }
    const [previous] = await tx
      .select({ id: models.id, version: models.version, algorithm: models.algorithm })
      .from(models)
      .where(and(eq(models.datasetId, model.datasetId), eq(models.status, "champion")));
    // Archive first: the partial unique index allows one champion per dataset at any moment.
    if (previous) await tx.update(models).set({ status: "archived" }).where(eq(models.id, previous.id));
    await tx.update(models).set({ status: "champion", promotedAt: new Date() }).where(eq(models.id, modelId));
    await recordAudit(tx, actor, {
      action: audit.action,
      targetType: "model",
      targetId: modelId,
      details: {
        datasetId: model.datasetId,
        algorithm: model.algorithm,
        version: model.version,
        cvAuc: model.cvAuc,
        previousChampionId: previous?.id ?? null,
        previousChampionVersion: previous?.version ?? null,
        ...audit.details,
      },
    });
    return { modelId, datasetId: model.datasetId, previousChampionId: previous?.id ?? null, changed: true };
  });
}

/**
 * A hand-picked champion scores every customer as a durable job (sent after the commit; the job
 * skips customers already scored). Failing to queue it must not undo the promotion.
 */
export async function queueChampionScoring(db: Database, change: ChampionChange): Promise<ChampionChange> {
  if (!change.changed) return change;
  try {
    await startDurableWork(db, "churnguard/champion.changed", { modelId: change.modelId });
  } catch (error) {
    logger("models").error(
      { err: error },
      `scoring with the new champion (model ${change.modelId}) could not be queued`,
    );
  }
  return change;
}

/** A manager promotes a model to champion of its dataset; its customers' scores follow as a job. */
export async function promoteModel(db: Database, actor: Actor, modelId: number): Promise<ChampionChange> {
  return queueChampionScoring(db, await setChampion(db, actor, modelId, { action: "model.promoted" }));
}

/**
 * Rolls the dataset's champion back: to `toModelId` when given (any earlier model of the dataset),
 * else to the most recently demoted champion.
 */
export async function rollbackModel(
  db: Database,
  actor: Actor,
  input: { datasetId: number; toModelId?: number },
): Promise<ChampionChange> {
  let targetId = input.toModelId;
  if (targetId === undefined) {
    const [previous] = await db
      .select({ id: models.id })
      .from(models)
      .where(
        and(
          eq(models.datasetId, input.datasetId),
          ne(models.status, "champion"),
          isNotNull(models.promotedAt),
        ),
      )
      .orderBy(desc(models.promotedAt), desc(models.id))
      .limit(1);
    if (!previous) {
      throw new TRPCError({
        code: "CONFLICT",
        message:
          "This dataset has no earlier champion to roll back to. Promote a model from the leaderboard instead.",
      });
    }
    targetId = previous.id;
  } else {
    const [target] = await db
      .select({ datasetId: models.datasetId })
      .from(models)
      .where(eq(models.id, targetId));
    if (!target)
      throw new TRPCError({
        code: "NOT_FOUND",
        message: `Model ${targetId} does not exist (it may have been deleted).`,
      });
    if (target.datasetId !== input.datasetId) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `Model ${targetId} was trained on another dataset.`,
      });
    }
  }
  return queueChampionScoring(db, await setChampion(db, actor, targetId, { action: "model.rolled_back" }));
}
