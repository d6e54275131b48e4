/**
 * Starting drift checks: one report row per champion and compared data (a newer dataset version or
 * a scored file), queued, then the `drift-check` durable function computes it (compute.ts).
 *
 * Checks start by themselves when a new version is imported or a file has been scored (the hooks
 * below never fail the upload or the scoring: a check that cannot start is logged), and on demand
 * ("Check now", managers, audited). A check already queued or running is not started twice: the
 * upsert only resets a finished report, so a double click gets the same report back.
 *
 * This module reads only the database and the durable port (no dataset or model services), so the
 * dataset import and batch scoring can call its hooks without an import cycle.
 */
import { TRPCError } from "@trpc/server";
import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { datasets, datasetVersions, driftReports, models, scoreBatches } from "../../db/schema";
import { startDurableWork } from "../../durable/port";
import { logger } from "../../log";
import { type Actor, recordAudit } from "../audit";

export const DRIFT_CHECK_REQUESTED = "churnguard/drift.check-requested";

/** Scored files compared by "Check now": the most recent ones. */
export const CHECK_NOW_MAX_FILES = 10;

export type DriftSource = { kind: "version"; datasetVersionId: number } | { kind: "batch"; batchId: number };
export type DriftTrigger = "upload" | "batch" | "manual";

export interface ChampionBaseline {
  modelId: number;
  modelVersion: number;
  algorithm: string;
  baselineVersionId: number;
  baselineVersion: number;
}

/** The dataset's champion and the version it was trained on; null without a champion. */
export async function championBaseline(db: Database, datasetId: number): Promise<ChampionBaseline | null> {
  const [row] = await db
    .select({
      modelId: models.id,
      modelVersion: models.version,
      algorithm: models.algorithm,
      baselineVersionId: models.datasetVersionId,
      baselineVersion: datasetVersions.version,
    })
    .from(models)
    .innerJoin(datasetVersions, eq(datasetVersions.id, models.datasetVersionId))
    .where(and(eq(models.datasetId, datasetId), eq(models.status, "champion")));
  return row ?? null;
}

export interface QueuedDriftReport {
  id: number;
  status: string;
  /** False when the same check was already queued or running (nothing new was started). */
  isNew: boolean;
}

/**
 * Queues a check of `source` against the champion of `datasetId`. Null when the dataset has no
 * champion or the source is the champion's own training version (nothing to compare).
 */
export async function requestDriftCheck(
  db: Database,
  actor: Actor,
  input: { datasetId: number; source: DriftSource; trigger: DriftTrigger },
): Promise<QueuedDriftReport | null> {
  const champion = await championBaseline(db, input.datasetId);
  if (!champion) return null;
  const { source } = input;
  if (source.kind === "version" && source.datasetVersionId === champion.baselineVersionId) return null;
  const values = {
    datasetId: input.datasetId,
    modelId: champion.modelId,
    baselineVersionId: champion.baselineVersionId,
    sourceKind: source.kind,
    datasetVersionId: source.kind === "version" ? source.datasetVersionId : null,
    batchId: source.kind === "batch" ? source.batchId : null,
    status: "queued" as const,
    trigger: input.trigger,
    createdById: actor.id,
  };
  const reset = {
    status: "queued" as const,
    trigger: input.trigger,
    createdById: actor.id,
    createdAt: new Date(),
    error: null,
    jobId: null,
    finishedAt: null,
  };
  const notActive = sql`${driftReports.status} not in ('queued', 'running')`;
  const [queued] =
    source.kind === "version"
      ? await db
          .insert(driftReports)
          .values(values)
          .onConflictDoUpdate({
            target: [driftReports.modelId, driftReports.datasetVersionId],
            targetWhere: sql`${driftReports.datasetVersionId} is not null`,
            set: reset,
            setWhere: notActive,
          })
          .returning({ id: driftReports.id, status: driftReports.status })
      : await db
          .insert(driftReports)
          .values(values)
          .onConflictDoUpdate({
            target: [driftReports.modelId, driftReports.batchId],
            targetWhere: sql`${driftReports.batchId} is not null`,
            set: reset,
            setWhere: notActive,
          })
          .returning({ id: driftReports.id, status: driftReports.status });
  if (!queued) {
    // Already queued or running: the check in progress will answer.
    const [active] = await db
      .select({ id: driftReports.id, status: driftReports.status })
      .from(driftReports)
      .where(
        and(
          eq(driftReports.modelId, champion.modelId),
          source.kind === "version"
            ? eq(driftReports.datasetVersionId, source.datasetVersionId)
            : eq(driftReports.batchId, source.batchId),
        ),
      );
    return active ? { ...active, isNew: false } : null;
  }
  // After the insert is visible: under Inngest the event leaves at once and must find the row.
  let jobId: string | null;
  try {
    [jobId = null] = await startDurableWork(db, DRIFT_CHECK_REQUESTED, { reportId: queued.id });
  } catch (error) {
    // A report no job will ever compute must not show "checking" forever.
    await db
      .update(driftReports)
      .set({ status: "failed", error: "The check could not be started; try again.", finishedAt: new Date() })
      .where(eq(driftReports.id, queued.id));
    throw error;
  }
  if (jobId) await db.update(driftReports).set({ jobId }).where(eq(driftReports.id, queued.id));
  return { ...queued, isNew: true };
}

/**
 * "Check now": every version newer than the champion's training version and the most recent
 * scored files, checked again against the current champion. Audited.
 */
export async function checkDriftNow(db: Database, actor: Actor, datasetId: number) {
  const [dataset] = await db
    .select({ id: datasets.id, name: datasets.name })
    .from(datasets)
    .where(eq(datasets.id, datasetId));
  if (!dataset) throw new TRPCError({ code: "NOT_FOUND", message: `Dataset ${datasetId} does not exist.` });
  const champion = await championBaseline(db, datasetId);
  if (!champion) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `${dataset.name} has no champion model yet: train models first. Drift compares new data with the champion's training data.`,
    });
  }
  const newer = await db
    .select({ id: datasetVersions.id })
    .from(datasetVersions)
    .where(
      and(eq(datasetVersions.datasetId, datasetId), gt(datasetVersions.version, champion.baselineVersion)),
    )
    .orderBy(datasetVersions.version);
  const files = await db
    .select({ id: scoreBatches.id })
    .from(scoreBatches)
    .where(and(eq(scoreBatches.datasetId, datasetId), eq(scoreBatches.status, "succeeded")))
    .orderBy(desc(scoreBatches.createdAt), desc(scoreBatches.id))
    .limit(CHECK_NOW_MAX_FILES);
  if (newer.length === 0 && files.length === 0) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `Nothing newer to compare yet: upload a new version of ${dataset.name} (same dataset name) or score a file with its champion.`,
    });
  }
  const sources: DriftSource[] = [
    ...newer.map((v) => ({ kind: "version" as const, datasetVersionId: v.id })),
    ...files.map((b) => ({ kind: "batch" as const, batchId: b.id })),
  ];
  const reports: QueuedDriftReport[] = [];
  for (const source of sources) {
    const queued = await requestDriftCheck(db, actor, { datasetId, source, trigger: "manual" });
    if (queued) reports.push(queued);
  }
  await recordAudit(db, actor, {
    action: "drift.check",
    targetType: "dataset",
    targetId: datasetId,
    details: {
      name: dataset.name,
      modelId: champion.modelId,
      versions: newer.length,
      files: files.length,
      started: reports.filter((r) => r.isNew).length,
    },
  });
  return { reports };
}

function logHookFailure(what: string, error: unknown) {
  logger("drift").warn({ err: error }, `could not start the drift check of ${what}`);
}

/** After an import: compare the new version with the champion's training data (never throws). */
export async function checkDriftAfterImport(
  db: Database,
  actor: Actor,
  imported: { datasetId: number; datasetVersionId: number },
): Promise<void> {
  try {
    await requestDriftCheck(db, actor, {
      datasetId: imported.datasetId,
      source: { kind: "version", datasetVersionId: imported.datasetVersionId },
      trigger: "upload",
    });
  } catch (error) {
    logHookFailure(`version ${imported.datasetVersionId}`, error);
  }
}

/** After a scored file: compare it with the champion's training data (never throws). */
export async function checkDriftAfterBatch(
  db: Database,
  batch: { id: number; datasetId: number; createdById: number | null },
): Promise<void> {
  try {
    await requestDriftCheck(
      db,
      { id: batch.createdById, label: batch.createdById === null ? "system" : `user:${batch.createdById}` },
      { datasetId: batch.datasetId, source: { kind: "batch", batchId: batch.id }, trigger: "batch" },
    );
  } catch (error) {
    logHookFailure(`scored file ${batch.id}`, error);
  }
}
