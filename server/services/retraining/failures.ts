/**
 * A scheduled run that fails (or cannot start) notifies: the schedule keeps the error and shows a
 * banner to managers until dismissed, an audit entry is written, managers and admins are e-mailed
 * when SMTP is configured, and when the dataset has a webhook a signed delivery is queued as
 * durable work (both retried by the runner).
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { datasets, retrainingSchedules, trainingRuns } from "../../db/schema";
import { startDurableWork } from "../../durable/port";
import { logger } from "../../log";
import { recordAudit, SYSTEM_ACTOR } from "../audit";
import { mailRetrainingFailure } from "../mail";
import { WEBHOOK_REQUESTED_EVENT } from "./webhook";

export async function recordScheduledFailure(
  db: Database,
  input: { datasetId: number; runId: number | null; error: string; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const { hasWebhook, datasetName } = await db.transaction(async (tx) => {
    const [schedule] = await tx
      .update(retrainingSchedules)
      .set({
        lastOutcome: "failed",
        lastError: input.error,
        failureNoticeAt: now,
        ...(input.runId !== null ? { lastRunId: input.runId } : {}),
      })
      .where(eq(retrainingSchedules.datasetId, input.datasetId))
      .returning({ webhookUrl: retrainingSchedules.webhookUrl });
    const [dataset] = await tx
      .select({ name: datasets.name })
      .from(datasets)
      .where(eq(datasets.id, input.datasetId));
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: "retraining.failed",
      targetType: input.runId !== null ? "training_run" : "dataset",
      targetId: input.runId ?? input.datasetId,
      details: { datasetId: input.datasetId, dataset: dataset?.name ?? null, error: input.error },
    });
    return { hasWebhook: Boolean(schedule?.webhookUrl), datasetName: dataset?.name ?? null };
  });
  // After commit: under Inngest these leave at once and could not be rolled back.
  await mailRetrainingFailure(db, {
    datasetId: input.datasetId,
    datasetName,
    runId: input.runId,
    error: input.error,
    failedAt: now,
  }).catch((error) =>
    console.error(`[retraining] could not e-mail the failure of dataset ${input.datasetId}`, error),
  );
  if (!hasWebhook) return;
  try {
    await startDurableWork(db, WEBHOOK_REQUESTED_EVENT, {
      datasetId: input.datasetId,
      payload: {
        event: "retraining.failed",
        datasetId: input.datasetId,
        runId: input.runId,
        error: input.error,
        failedAt: now.toISOString(),
      },
    });
  } catch (error) {
    logger("retraining").error(
      { err: error },
      `could not queue the failure webhook of dataset ${input.datasetId}`,
    );
  }
}

/** onFailure of the training function: notifies when the run was a scheduled one that failed (not cancelled). */
export async function notifyIfScheduledRunFailed(db: Database, runId: number): Promise<void> {
  const [run] = await db.select().from(trainingRuns).where(eq(trainingRuns.id, runId));
  if (run?.trigger !== "schedule" || run.status !== "failed") return;
  await recordScheduledFailure(db, { datasetId: run.datasetId, runId, error: run.error ?? "The run failed" });
}
