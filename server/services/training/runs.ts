/**
 * Training runs as people manage them: start (one active run per dataset, enforced by the
 * partial unique index training_runs_one_active_per_dataset), cancel, and read back with every
 * model's metrics so a reloaded page shows the current state before live events arrive.
 */
import { TRPCError } from "@trpc/server";
import { and, count, desc, eq, inArray, type SQL } from "drizzle-orm";
import { parseDatasetSchema } from "@/lib/ml/data";
import type { Database } from "../../db/client";
import { datasets, datasetVersions, jobSteps, models, trainingRuns, users } from "../../db/schema";
import type { AnyDurableFunction } from "../../durable/contract";
import { cancelDurableWork, startDurableWork } from "../../durable/port";
import { logger } from "../../log";
import { type Actor, recordAudit } from "../audit";
import { modelsOfRuns } from "../models/queries";
import { getComputePool } from "./compute-pool";
import { type FailedEvent, TRAINING_EVENTS } from "./events";
import { trainingRunTag } from "./interrupt";
import {
  parseTrainingParams,
  type StartTrainingInput,
  startTrainingInputSchema,
  TEST_FRACTION,
  type TrainingParams,
} from "./params";
import { runPlan } from "./plan";
import { publishRunEvent } from "./publish";

export const TRAINING_REQUESTED_EVENT = "churnguard/training.requested";

const ACTIVE_STATUSES = ["queued", "running"] as const;

const CONFLICT_MESSAGE = "A training run is already in progress for this dataset";

function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const {
      code,
      constraint_name,
      constraint: name,
      message,
    } = e as {
      code?: string;
      constraint_name?: string;
      constraint?: string;
      message?: string;
    };
    if (code === "23505" && (constraint_name ?? name ?? message ?? "").includes(constraint)) return true;
    if (code === "23505" && !constraint_name && !name) return true;
  }
  return false;
}

/** "manual": a person's run, its best model becomes champion. "schedule": a challenger run (server/services/retraining). */
export type TrainingTrigger = "manual" | "schedule";

export interface StartTrainingOptions {
  /** Durable functions to dispatch to (default: the registry). Tests pass their own. */
  functions?: readonly AnyDurableFunction[];
  /** Default "manual". A "schedule" run trains a challenger that a rule or a manager promotes. */
  trigger?: TrainingTrigger;
}

/**
 * Creates a queued run for a dataset version, audits it and sends the event that starts the
 * durable training function. CONFLICT when the dataset already has a queued or running run.
 */
export async function startTraining(
  db: Database,
  actor: Actor,
  input: StartTrainingInput,
  options: StartTrainingOptions = {},
) {
  const parsed = startTrainingInputSchema.parse(input);
  const [version] = await db
    .select({
      id: datasetVersions.id,
      datasetId: datasetVersions.datasetId,
      version: datasetVersions.version,
      schema: datasetVersions.schema,
      datasetName: datasets.name,
    })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .where(eq(datasetVersions.id, parsed.datasetVersionId));
  if (!version) {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `Dataset version ${parsed.datasetVersionId} does not exist (it may have been deleted).`,
    });
  }
  const problem = parseDatasetSchema(version.schema).problems[0];
  if (problem) throw new TRPCError({ code: "BAD_REQUEST", message: problem.message });

  const params: TrainingParams = {
    algorithms: parsed.algorithms,
    balancing: parsed.balancing,
    folds: parsed.folds,
    seed: parsed.seed,
    testFraction: TEST_FRACTION,
    threshold: "f1",
    tuning: parsed.tuning,
  };

  let run: typeof trainingRuns.$inferSelect;
  try {
    run = await db.transaction(async (tx) => {
      const [active] = await tx
        .select({ id: trainingRuns.id })
        .from(trainingRuns)
        .where(
          and(
            eq(trainingRuns.datasetId, version.datasetId),
            inArray(trainingRuns.status, [...ACTIVE_STATUSES]),
          ),
        )
        .limit(1);
      if (active) throw new TRPCError({ code: "CONFLICT", message: CONFLICT_MESSAGE });
      const [created] = await tx
        .insert(trainingRuns)
        .values({
          datasetId: version.datasetId,
          datasetVersionId: version.id,
          status: "queued",
          params,
          trigger: options.trigger ?? "manual",
          createdById: actor.id,
        })
        .returning();
      await recordAudit(tx, actor, {
        action: "training.started",
        targetType: "training_run",
        targetId: created.id,
        details: {
          datasetId: version.datasetId,
          dataset: version.datasetName,
          version: version.version,
          trigger: options.trigger ?? "manual",
          ...params,
        },
      });
      return created;
    });
  } catch (error) {
    // Two starts racing past the check: the partial unique index refuses the second.
    if (isUniqueViolation(error, "training_runs_one_active_per_dataset")) {
      throw new TRPCError({ code: "CONFLICT", message: CONFLICT_MESSAGE });
    }
    throw error;
  }

  // Sent after the commit: under Inngest the event cannot be rolled back with a transaction.
  let jobIds: string[];
  try {
    jobIds = await startDurableWork(
      db,
      TRAINING_REQUESTED_EVENT,
      { runId: run.id },
      { functions: options.functions },
    );
    if (jobIds.length === 0) throw new Error(`No durable function handles "${TRAINING_REQUESTED_EVENT}"`);
  } catch (error) {
    // Never leave a queued run that nothing will ever run: it would block the dataset.
    await db
      .update(trainingRuns)
      .set({ status: "failed", error: "The training job could not be queued", finishedAt: new Date() })
      .where(eq(trainingRuns.id, run.id));
    throw error;
  }
  const [updated] = await db
    .update(trainingRuns)
    .set({ jobId: jobIds[0] })
    .where(eq(trainingRuns.id, run.id))
    .returning();
  return updated ?? run;
}

/**
 * Requests cancellation: a queued run is cancelled at once; a running one stops its computation
 * in progress (between trees, rounds or folds) and runs no further step. CONFLICT when the run is
 * already over.
 */
export async function cancelTraining(db: Database, actor: Actor, runId: number) {
  const result = await db.transaction(async (tx) => {
    const [run] = await tx.select().from(trainingRuns).where(eq(trainingRuns.id, runId)).for("update");
    if (!run) throw new TRPCError({ code: "NOT_FOUND", message: `Training run ${runId} does not exist.` });
    if (!(ACTIVE_STATUSES as readonly string[]).includes(run.status)) {
      throw new TRPCError({
        code: "CONFLICT",
        message: `Training run ${runId} has already ${run.status === "succeeded" ? "finished" : run.status === "failed" ? "failed" : "been cancelled"}.`,
      });
    }
    const isQueued = run.status === "queued";
    const [updated] = await tx
      .update(trainingRuns)
      .set(
        isQueued
          ? { cancelRequested: true, status: "cancelled", error: "Cancelled", finishedAt: new Date() }
          : { cancelRequested: true },
      )
      .where(eq(trainingRuns.id, runId))
      .returning();
    await recordAudit(tx, actor, {
      action: "training.cancelled",
      targetType: "training_run",
      targetId: runId,
      details: { datasetId: run.datasetId, statusWhenCancelled: run.status, step: run.currentStep },
    });
    return updated;
  });
  // Computations of the run in this process stop at their next check instead of finishing the step
  // (another process sees the flag within a second: steps.ts awaitComputation).
  getComputePool().interrupt(trainingRunTag(runId));
  if (result.jobId) {
    await cancelDurableWork(db, result.jobId).catch((error) =>
      logger("training").warn({ err: error, runId }, `could not cancel job ${result.jobId} of run ${runId}`),
    );
  }
  if (result.status === "cancelled") {
    const event: FailedEvent = { runId, status: "cancelled", error: "Cancelled" };
    await publishRunEvent(runId, TRAINING_EVENTS.failed, event);
  }
  return result;
}

export type StepState = "pending" | "running" | "done" | "failed" | "cancelled" | "skipped";

const runColumns = {
  id: trainingRuns.id,
  datasetId: trainingRuns.datasetId,
  datasetName: datasets.name,
  datasetVersionId: trainingRuns.datasetVersionId,
  datasetVersion: datasetVersions.version,
  status: trainingRuns.status,
  params: trainingRuns.params,
  progress: trainingRuns.progress,
  currentStep: trainingRuns.currentStep,
  error: trainingRuns.error,
  trigger: trainingRuns.trigger,
  jobId: trainingRuns.jobId,
  cancelRequested: trainingRuns.cancelRequested,
  createdAt: trainingRuns.createdAt,
  startedAt: trainingRuns.startedAt,
  finishedAt: trainingRuns.finishedAt,
  createdById: trainingRuns.createdById,
  createdByName: users.name,
};

/** A run with its step list (state and duration of each step) and the metrics of its models. */
export async function getRun(db: Database, runId: number) {
  const [run] = await db
    .select(runColumns)
    .from(trainingRuns)
    .innerJoin(datasets, eq(datasets.id, trainingRuns.datasetId))
    .innerJoin(datasetVersions, eq(datasetVersions.id, trainingRuns.datasetVersionId))
    .leftJoin(users, eq(users.id, trainingRuns.createdById))
    .where(eq(trainingRuns.id, runId));
  if (!run) throw new TRPCError({ code: "NOT_FOUND", message: `Training run ${runId} does not exist.` });
  const params = parseTrainingParams(run.params);
  // Embedded runner only: Inngest keeps its step state to itself (then progress tells).
  const finished = run.jobId
    ? await db
        .select({ stepId: jobSteps.stepId, durationMs: jobSteps.durationMs, finishedAt: jobSteps.finishedAt })
        .from(jobSteps)
        .where(eq(jobSteps.jobId, run.jobId))
    : [];
  const finishedById = new Map(finished.map((s) => [s.stepId, s]));
  const plan = runPlan(params.algorithms);
  const currentIndex = plan.findIndex((s) => s.id === run.currentStep);
  const steps = plan.map((step, index) => {
    const record = finishedById.get(step.id);
    let state: StepState;
    if (record || run.status === "succeeded" || index < currentIndex) state = "done";
    else if (index === currentIndex) {
      state =
        run.status === "running"
          ? "running"
          : run.status === "failed"
            ? "failed"
            : run.status === "cancelled"
              ? "cancelled"
              : "pending";
    } else state = run.status === "cancelled" ? "skipped" : "pending";
    return { id: step.id, label: step.label, state, durationMs: record?.durationMs ?? null };
  });
  const runModels = await modelsOfRuns(db, [runId]);
  return {
    ...run,
    params,
    steps,
    models: runModels.map(({ metrics, ...m }) => ({
      ...m,
      testAuc: ((metrics as { test?: { rocAuc?: number } }).test?.rocAuc ?? null) as number | null,
    })),
  };
}

export type RunDetail = Awaited<ReturnType<typeof getRun>>;

export interface ListRunsInput {
  datasetId?: number;
  limit?: number;
}

/** Most recent runs first, with their dataset and number of models. */
export async function listRuns(db: Database, input: ListRunsInput = {}) {
  const conditions: SQL[] = [];
  if (input.datasetId !== undefined) conditions.push(eq(trainingRuns.datasetId, input.datasetId));
  const runs = await db
    .select(runColumns)
    .from(trainingRuns)
    .innerJoin(datasets, eq(datasets.id, trainingRuns.datasetId))
    .innerJoin(datasetVersions, eq(datasetVersions.id, trainingRuns.datasetVersionId))
    .leftJoin(users, eq(users.id, trainingRuns.createdById))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(trainingRuns.createdAt), desc(trainingRuns.id))
    .limit(Math.min(100, Math.max(1, input.limit ?? 20)));
  const ids = runs.map((r) => r.id);
  const counts = ids.length
    ? await db
        .select({ runId: models.runId, n: count() })
        .from(models)
        .where(inArray(models.runId, ids))
        .groupBy(models.runId)
    : [];
  const countByRun = new Map(counts.map((c) => [c.runId, Number(c.n)]));
  return runs.map((r) => ({
    ...r,
    params: parseTrainingParams(r.params),
    modelCount: countByRun.get(r.id) ?? 0,
  }));
}

export type RunListItem = Awaited<ReturnType<typeof listRuns>>[number];
