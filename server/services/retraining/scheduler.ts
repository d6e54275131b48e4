/**
 * The scheduler's work (the retraining-scheduler durable function calls runDueSchedules on its
 * cron tick; managers call runScheduleNow): claim each due schedule once, move its next run past
 * now — so slots missed while the server was down run ONCE — and start a challenger run on the
 * dataset's newest version through the training service (which starts the durable work through
 * server/durable/port.ts). A failure to start is recorded like a failed run.
 */
import { TRPCError } from "@trpc/server";
import { and, desc, eq, isNotNull, lte } from "drizzle-orm";
import { dueState } from "@/lib/schedules/cron-schedule";
import type { Database } from "../../db/client";
import { datasetVersions, models, retrainingSchedules, trainingRuns } from "../../db/schema";
import type { AnyDurableFunction } from "../../durable/contract";
import { type Actor, recordAudit } from "../audit";
import { parseTrainingParams, type StartTrainingInput } from "../training/params";
import { startTraining } from "../training/runs";
import { recordScheduledFailure } from "./failures";

export const SCHEDULE_ACTOR: Actor = { id: null, label: "retraining schedule" };

export interface SchedulerOptions {
  now?: Date;
  functions?: readonly AnyDurableFunction[];
}

export interface ScheduledStart {
  datasetId: number;
  outcome: "started" | "skipped" | "failed";
  runId?: number;
  message?: string;
}

/** The champion's run settings (same algorithms, balancing, folds, seed), else the defaults. */
async function trainingInputFor(db: Database, datasetId: number): Promise<StartTrainingInput> {
  const [version] = await db
    .select({ id: datasetVersions.id })
    .from(datasetVersions)
    .where(eq(datasetVersions.datasetId, datasetId))
    .orderBy(desc(datasetVersions.version))
    .limit(1);
  if (!version)
    throw new TRPCError({ code: "NOT_FOUND", message: `Dataset ${datasetId} has no version to train on.` });
  const [champion] = await db
    .select({ params: trainingRuns.params })
    .from(models)
    .innerJoin(trainingRuns, eq(trainingRuns.id, models.runId))
    .where(and(eq(models.datasetId, datasetId), eq(models.status, "champion")));
  if (!champion) return { datasetVersionId: version.id };
  const params = parseTrainingParams(champion.params);
  return {
    datasetVersionId: version.id,
    algorithms: params.algorithms,
    balancing: params.balancing,
    folds: params.folds,
    seed: params.seed,
  };
}

async function startChallengerRun(
  db: Database,
  actor: Actor,
  datasetId: number,
  now: Date,
  options: SchedulerOptions,
): Promise<ScheduledStart> {
  try {
    const input = await trainingInputFor(db, datasetId);
    const run = await startTraining(db, actor, input, { functions: options.functions, trigger: "schedule" });
    await db
      .update(retrainingSchedules)
      .set({ lastRunId: run.id, lastOutcome: "started", lastError: null })
      .where(eq(retrainingSchedules.datasetId, datasetId));
    return { datasetId, outcome: "started", runId: run.id };
  } catch (error) {
    if (error instanceof TRPCError && error.code === "CONFLICT") {
      // A run is already going (a person's, or the previous slot's): this slot is skipped, not queued.
      const message = "Skipped: a training run was already in progress for this dataset";
      await db
        .update(retrainingSchedules)
        .set({ lastOutcome: "skipped", lastError: message })
        .where(eq(retrainingSchedules.datasetId, datasetId));
      await recordAudit(db, actor, {
        action: "retraining.skipped",
        targetType: "dataset",
        targetId: datasetId,
        details: { reason: message, at: now.toISOString() },
      });
      return { datasetId, outcome: "skipped", message };
    }
    const message = (error as Error).message || "The scheduled run could not start";
    await recordScheduledFailure(db, { datasetId, runId: null, error: message, now });
    return { datasetId, outcome: "failed", message };
  }
}

/** Starts every schedule due at `now` (once each, however many slots were missed). */
export async function runDueSchedules(
  db: Database,
  options: SchedulerOptions = {},
): Promise<ScheduledStart[]> {
  const now = options.now ?? new Date();
  const due = await db
    .select()
    .from(retrainingSchedules)
    .where(
      and(
        eq(retrainingSchedules.isEnabled, true),
        isNotNull(retrainingSchedules.nextRunAt),
        lte(retrainingSchedules.nextRunAt, now),
      ),
    );
  const started: ScheduledStart[] = [];
  for (const schedule of due) {
    let next: Date;
    try {
      next = dueState(schedule, now).nextRunAt;
    } catch (error) {
      // An unreadable stored schedule: switch it off rather than fail every tick.
      await db
        .update(retrainingSchedules)
        .set({
          isEnabled: false,
          nextRunAt: null,
          lastOutcome: "failed",
          lastError: (error as Error).message,
        })
        .where(eq(retrainingSchedules.datasetId, schedule.datasetId));
      continue;
    }
    // Claim: only the process whose update still sees the old next run time starts the run.
    const [claimed] = await db
      .update(retrainingSchedules)
      .set({ nextRunAt: next, lastRunAt: now })
      .where(
        and(
          eq(retrainingSchedules.datasetId, schedule.datasetId),
          eq(retrainingSchedules.nextRunAt, schedule.nextRunAt as Date),
        ),
      )
      .returning({ datasetId: retrainingSchedules.datasetId });
    if (!claimed) continue;
    started.push(await startChallengerRun(db, SCHEDULE_ACTOR, schedule.datasetId, now, options));
  }
  return started;
}

/** "Run now": a manager starts the scheduled (challenger) run at once; the schedule's slots are unchanged. */
export async function runScheduleNow(
  db: Database,
  actor: Actor,
  datasetId: number,
  options: SchedulerOptions = {},
): Promise<ScheduledStart> {
  const now = options.now ?? new Date();
  const input = await trainingInputFor(db, datasetId);
  const run = await startTraining(db, actor, input, { functions: options.functions, trigger: "schedule" });
  await db
    .update(retrainingSchedules)
    .set({ lastRunId: run.id, lastRunAt: now, lastOutcome: "started", lastError: null })
    .where(eq(retrainingSchedules.datasetId, datasetId));
  return { datasetId, outcome: "started", runId: run.id };
}
