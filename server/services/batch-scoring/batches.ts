/**
 * Scoring batches as people manage them: start a staged file (the batch row, the file moved to its
 * permanent key and the job queued), cancel, list and read back.
 */
import { and, desc, eq, inArray, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import { datasets, models, scoreBatches, users } from "../../db/schema";
import type { AnyDurableFunction } from "../../durable/contract";
import { cancelDurableWork, startDurableWork } from "../../durable/port";
import { logger } from "../../log";
import { type FileStorage, getStorage } from "../../storage";
import { type Actor, recordAudit } from "../audit";
import { chunkKey } from "./chunks";
import { assertUsable, matchColumns } from "./columns";
import { BatchNotFoundError, BatchStateError } from "./errors";
import type { BatchSummary } from "./job";
import { championOf, modelColumnsOf } from "./model";
import { publishBatchProgress } from "./publish";
import { forgetStagedBatchFile, getStagedBatchFile, stagedBatchFileKey, stagedBatchFolder } from "./upload";

export const BATCH_SCORING_REQUESTED = "churnguard/batch-scoring.requested";

export const batchJobDataSchema = z.object({
  batchId: z.number().int().positive(),
  rowCount: z.number().int().positive(),
  chunkRows: z.number().int().positive(),
});
export type BatchJobData = z.infer<typeof batchJobDataSchema>;

export const batchFolderOf = (uploadId: string) => `score-batches/${uploadId}`;
export const batchFileKey = (uploadId: string) => `${batchFolderOf(uploadId)}/input.csv`;

export interface StartBatchOptions {
  functions?: readonly AnyDurableFunction[];
  storage?: FileStorage;
}

/**
 * Starts scoring a staged file with the dataset's champion of this moment (recorded on the batch:
 * a model promoted later does not change it). Columns are checked again against that champion.
 */
export async function startBatch(
  db: Database,
  actor: Actor,
  uploadId: string,
  options: StartBatchOptions = {},
): Promise<BatchView> {
  const storage = options.storage ?? getStorage();
  const staged = await getStagedBatchFile(uploadId, actor, storage);
  const champion = await championOf(db, staged.datasetId);
  const modelColumns = modelColumnsOf(champion.model);
  const match = matchColumns(staged.columns, modelColumns);
  assertUsable(match, modelColumns);
  const chunkRows = staged.chunkRows;
  const storageKey = batchFileKey(uploadId);
  // Out of uploads/ (swept after 24 h) into the batch's folder: the file and its chunk files.
  const moves: [string, string][] = [[stagedBatchFileKey(uploadId), storageKey]];
  for (let n = 1; n <= staged.chunks; n++) {
    moves.push([chunkKey(stagedBatchFolder(uploadId), n), chunkKey(batchFolderOf(uploadId), n)]);
  }
  for (const [from, to] of moves) await storage.move(from, to);
  let batchId: number;
  try {
    batchId = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(scoreBatches)
        .values({
          datasetId: staged.datasetId,
          modelId: champion.modelId,
          fileName: staged.fileName,
          storageKey,
          sha256: staged.sha256,
          sizeBytes: staged.sizeBytes,
          rowCount: staged.rowCount,
          status: "queued",
          // Until the batch finishes, the summary holds what the upload found about the columns.
          summary: {
            missingColumns: match.missing,
            ignoredColumns: match.ignored,
            identifier: staged.identifier,
            modelVersion: champion.version,
          },
          createdById: actor.id,
        })
        .returning({ id: scoreBatches.id });
      await recordAudit(tx, actor, {
        action: "batch_scoring.started",
        targetType: "score_batch",
        targetId: created.id,
        details: {
          datasetId: staged.datasetId,
          modelId: champion.modelId,
          modelVersion: champion.version,
          rows: staged.rowCount,
          sha256: staged.sha256,
        },
      });
      return created.id;
    });
  } catch (error) {
    for (const [from, to] of moves) await storage.move(to, from).catch(() => storage.delete(to));
    throw error;
  }
  await forgetStagedBatchFile(storage, uploadId).catch(() => {});

  // Sent after the commit: under Inngest the event cannot be rolled back with a transaction.
  try {
    const jobIds = await startDurableWork(
      db,
      BATCH_SCORING_REQUESTED,
      { batchId, rowCount: staged.rowCount, chunkRows },
      { functions: options.functions },
    );
    if (jobIds.length === 0) throw new Error(`No durable function handles "${BATCH_SCORING_REQUESTED}"`);
    await db.update(scoreBatches).set({ jobId: jobIds[0] }).where(eq(scoreBatches.id, batchId));
  } catch (error) {
    await db
      .update(scoreBatches)
      .set({ status: "failed", error: "The scoring job could not be queued", finishedAt: new Date() })
      .where(eq(scoreBatches.id, batchId));
    throw error;
  }
  return getBatch(db, batchId);
}

/** Cancels a queued or running batch: its rows are removed when the job stops. */
export async function cancelBatch(db: Database, actor: Actor, batchId: number): Promise<BatchView> {
  const batch = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(scoreBatches).where(eq(scoreBatches.id, batchId)).for("update");
    if (!row) throw new BatchNotFoundError(batchId);
    if (row.status !== "queued" && row.status !== "running") {
      throw new BatchStateError(
        `Scoring batch ${batchId} has already ${row.status === "succeeded" ? "finished" : row.status === "failed" ? "failed" : "been cancelled"}.`,
      );
    }
    await tx
      .update(scoreBatches)
      .set({ status: "cancelled", error: "Cancelled", finishedAt: new Date() })
      .where(eq(scoreBatches.id, batchId));
    await recordAudit(tx, actor, {
      action: "batch_scoring.cancelled",
      targetType: "score_batch",
      targetId: batchId,
      details: { datasetId: row.datasetId, statusWhenCancelled: row.status, rowsScored: row.rowsScored },
    });
    return row;
  });
  if (batch.jobId) {
    await cancelDurableWork(db, batch.jobId).catch((error) =>
      logger("batch-scoring").warn({ err: error }, `could not cancel job ${batch.jobId}`),
    );
  }
  await publishBatchProgress(batch.datasetId, {
    batchId,
    status: "cancelled",
    rowsScored: batch.rowsScored,
    rowCount: batch.rowCount,
    error: "Cancelled",
  });
  return getBatch(db, batchId);
}

export interface BatchView {
  id: number;
  datasetId: number;
  datasetName: string;
  modelId: number;
  modelVersion: number;
  modelAlgorithm: string;
  fileName: string;
  sizeBytes: number;
  rowCount: number;
  rowsScored: number;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  summary: Partial<BatchSummary> | null;
  error: string | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const batchColumns = {
  id: scoreBatches.id,
  datasetId: scoreBatches.datasetId,
  datasetName: datasets.name,
  modelId: scoreBatches.modelId,
  modelVersion: models.version,
  modelAlgorithm: models.algorithm,
  fileName: scoreBatches.fileName,
  sizeBytes: scoreBatches.sizeBytes,
  rowCount: scoreBatches.rowCount,
  rowsScored: scoreBatches.rowsScored,
  status: scoreBatches.status,
  summary: scoreBatches.summary,
  error: scoreBatches.error,
  createdBy: users.name,
  createdAt: scoreBatches.createdAt,
  startedAt: scoreBatches.startedAt,
  finishedAt: scoreBatches.finishedAt,
};

function selectBatches(db: Database) {
  return db
    .select(batchColumns)
    .from(scoreBatches)
    .innerJoin(datasets, eq(datasets.id, scoreBatches.datasetId))
    .innerJoin(models, eq(models.id, scoreBatches.modelId))
    .leftJoin(users, eq(users.id, scoreBatches.createdById));
}

export async function getBatch(db: Database, batchId: number): Promise<BatchView> {
  const [row] = await selectBatches(db).where(eq(scoreBatches.id, batchId));
  if (!row) throw new BatchNotFoundError(batchId);
  return row as BatchView;
}

export const listBatchesInputSchema = z.object({
  datasetId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(100).optional(),
});

/** Newest first. */
export async function listBatches(
  db: Database,
  input: z.infer<typeof listBatchesInputSchema>,
): Promise<BatchView[]> {
  const filters: SQL[] = [];
  if (input.datasetId !== undefined) filters.push(eq(scoreBatches.datasetId, input.datasetId));
  const rows = await selectBatches(db)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(scoreBatches.createdAt), desc(scoreBatches.id))
    .limit(input.limit ?? 25);
  return rows as BatchView[];
}

/** Datasets whose champion can score a file, for the page's dataset choice. */
export async function scorableDatasets(db: Database) {
  return db
    .select({
      datasetId: datasets.id,
      name: datasets.name,
      modelId: models.id,
      modelVersion: models.version,
      algorithm: models.algorithm,
    })
    .from(models)
    .innerJoin(datasets, eq(datasets.id, models.datasetId))
    .where(inArray(models.status, ["champion"]))
    .orderBy(datasets.name);
}
