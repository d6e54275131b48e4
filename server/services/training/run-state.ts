/**
 * The training_runs row as the pipeline moves it: queued → running → succeeded, or failed /
 * cancelled from any active state. Every step checks the row first, so a cancelled run stops at
 * its next step, and onFailure always closes the row, so a run never stays "running".
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { trainingRuns } from "../../db/schema";
import { NonRetriableError } from "../../durable/contract";
import { observeTrainingRun } from "../../metrics";
import { type FailedEvent, TRAINING_EVENTS } from "./events";
import { parseTrainingParams, type TrainingParams } from "./params";
import { type PlannedStep, progressAt, runPlan } from "./plan";
import { publishRunEvent } from "./publish";

export type TrainingRunRecord = typeof trainingRuns.$inferSelect;

export interface ActiveRun {
  run: TrainingRunRecord;
  params: TrainingParams;
  plan: PlannedStep[];
}

export class TrainingCancelledError extends NonRetriableError {
  constructor(runId: number) {
    super(`Training run ${runId} was cancelled`);
    this.name = "NonRetriableError";
  }
}

export async function getRunRecord(db: Database, runId: number): Promise<TrainingRunRecord | null> {
  const [run] = await db.select().from(trainingRuns).where(eq(trainingRuns.id, runId));
  return run ?? null;
}

/**
 * Loads the run for a step and checks it may go on: throws NonRetriableError when the run is
 * gone, finished, or cancellation was requested. Marks the step as current and publishes it.
 */
export async function beginStep(db: Database, runId: number, stepId: string): Promise<ActiveRun> {
  const run = await getRunRecord(db, runId);
  if (!run)
    throw new NonRetriableError(`Training run ${runId} does not exist (its dataset may have been deleted)`);
  if (run.cancelRequested || run.status === "cancelled") throw new TrainingCancelledError(runId);
  if (run.status === "failed") throw new NonRetriableError(`Training run ${runId} has already failed`);
  const params = parseTrainingParams(run.params);
  const plan = runPlan(params.algorithms);
  const step = plan.find((s) => s.id === stepId);
  if (!step) return { run, params, plan }; // a step for an algorithm this run does not train
  const progress = progressAt(plan, stepId, false);
  const now = new Date();
  const [updated] = await db
    .update(trainingRuns)
    .set({
      status: run.status === "succeeded" ? run.status : "running",
      currentStep: stepId,
      progress: sql`greatest(${trainingRuns.progress}, ${progress})`,
      startedAt: run.startedAt ?? now,
    })
    .where(eq(trainingRuns.id, runId))
    .returning();
  await publishRunEvent(runId, TRAINING_EVENTS.step, {
    runId,
    stepId,
    label: step.label,
    state: "started",
    progress: updated.progress,
  });
  return { run: updated, params, plan };
}

/** Records a finished step's share of progress and publishes it with a short summary. */
export async function finishStep(
  active: ActiveRun,
  db: Database,
  stepId: string,
  summary?: string,
): Promise<void> {
  const step = active.plan.find((s) => s.id === stepId);
  if (!step) return;
  const progress = progressAt(active.plan, stepId, true);
  const [updated] = await db
    .update(trainingRuns)
    .set({ progress: sql`greatest(${trainingRuns.progress}, ${progress})` })
    .where(eq(trainingRuns.id, active.run.id))
    .returning({ progress: trainingRuns.progress });
  await publishRunEvent(active.run.id, TRAINING_EVENTS.step, {
    runId: active.run.id,
    stepId,
    label: step.label,
    state: "finished",
    progress: updated?.progress ?? progress,
    summary,
  });
}

/** Progress inside a long step (scoring batches): fraction 0..1 of the step done. */
export async function reportStepProgress(
  active: ActiveRun,
  db: Database,
  stepId: string,
  fraction: number,
): Promise<void> {
  const step = active.plan.find((s) => s.id === stepId);
  if (!step) return;
  const before = progressAt(active.plan, stepId, false);
  const after = progressAt(active.plan, stepId, true);
  const progress = before + (after - before) * Math.min(1, Math.max(0, fraction));
  await db
    .update(trainingRuns)
    .set({ progress: sql`greatest(${trainingRuns.progress}, ${progress})` })
    .where(eq(trainingRuns.id, active.run.id));
  await publishRunEvent(
    active.run.id,
    TRAINING_EVENTS.step,
    {
      runId: active.run.id,
      stepId,
      label: step.label,
      state: "started",
      progress,
    },
    { isProgress: true },
  );
}

export async function markRunSucceeded(db: Database, runId: number): Promise<TrainingRunRecord> {
  const [run] = await db
    .update(trainingRuns)
    .set({ status: "succeeded", progress: 1, currentStep: null, error: null, finishedAt: new Date() })
    .where(and(eq(trainingRuns.id, runId), inArray(trainingRuns.status, ["queued", "running", "succeeded"])))
    .returning();
  if (!run) throw new NonRetriableError(`Training run ${runId} is no longer active`);
  observeTrainingRun(run);
  return run;
}

/** Short, readable text for the run page (no stack traces, bounded length). */
export function readableError(error: Error): string {
  const message = (error.message || error.name || "Unknown error").split("\n")[0].trim();
  return message.length > 500 ? `${message.slice(0, 497)}…` : message;
}

/**
 * onFailure of the durable function: closes the run as cancelled (when cancellation was requested
 * or the job was cancelled) or failed with a readable error naming the step it stopped at.
 * Safe to call twice; never touches a run that already succeeded.
 */
export async function closeFailedRun(
  db: Database,
  runId: number,
  error: Error,
  options: { isCancelled?: boolean } = {},
): Promise<void> {
  const run = await getRunRecord(db, runId);
  if (!run || run.status === "succeeded") return;
  const isCancelled = options.isCancelled || run.cancelRequested || error instanceof TrainingCancelledError;
  const status = isCancelled ? "cancelled" : "failed";
  const stepLabel = run.currentStep ? runPlanLabel(run, run.currentStep) : null;
  const reason = readableError(error);
  // "Training gradient boosting took longer than…" already names the step.
  const text = isCancelled
    ? "Cancelled"
    : `${stepLabel && !reason.startsWith(stepLabel) ? `${stepLabel} failed: ` : ""}${reason}`;
  const [closed] = await db
    .update(trainingRuns)
    .set({ status, error: text, finishedAt: run.finishedAt ?? new Date() })
    .where(
      and(
        eq(trainingRuns.id, runId),
        inArray(trainingRuns.status, ["queued", "running", "failed", "cancelled"]),
      ),
    )
    .returning();
  if (!closed) return;
  observeTrainingRun(closed);
  const event: FailedEvent = { runId, status, error: text };
  await publishRunEvent(runId, TRAINING_EVENTS.failed, event);
}

function runPlanLabel(run: TrainingRunRecord, stepId: string): string | null {
  try {
    return runPlan(parseTrainingParams(run.params).algorithms).find((s) => s.id === stepId)?.label ?? null;
  } catch {
    return null;
  }
}
