/**
 * The admin's view of durable jobs: the embedded runner's `jobs` / `job_steps` tables listed with
 * status, current step, duration, attempts and error; retry of a failed job and cancellation of a
 * queued or running one. Under Inngest the adapter records its runs in the same tables
 * (jobs/inngest-records.ts); retry and cancel are then done in the Inngest dashboard.
 *
 * Retry puts the job back in the queue: it resumes at its first unfinished step (finished steps are
 * idempotent and their results kept), except a batch scoring, whose clean-up removed the rows it
 * had scored, which starts again from its first step. The job's own record (training run, report,
 * batch) is reopened in the same transaction, because its onFailure closed it as failed and the
 * steps refuse to work on a closed record.
 */
import { TRPCError } from "@trpc/server";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import {
  driftReports,
  JOB_STATUSES,
  jobSteps,
  jobs,
  reports,
  scoreBatches,
  trainingRuns,
} from "../../db/schema";
import { cancelDurableWork, durableStepsOf } from "../../durable/port";
import { usesInngest } from "../../env";
import { type Actor, recordAudit } from "../audit";
import { cancelBatch } from "../batch-scoring/batches";
import { BatchNotFoundError, BatchStateError } from "../batch-scoring/errors";
import { cancelTraining } from "../training/runs";

export type JobStatus = (typeof JOB_STATUSES)[number];

/** What people call each durable function; an unknown id is shown as it is. */
export const JOB_KIND_LABELS: Readonly<Record<string, string>> = {
  "train-models": "Training",
  "score-batch": "Batch scoring",
  "score-champion": "Rescoring with a new champion",
  "generate-report": "Report",
  "prune-jobs": "Nightly clean-up",
  "send-mail": "E-mail",
};

export function jobKindLabel(functionId: string): string {
  return Object.hasOwn(JOB_KIND_LABELS, functionId) ? JOB_KIND_LABELS[functionId] : functionId;
}

/** "Training run #12", "Report #3": what the job works on, from its event data. */
export function jobSubject(functionId: string, data: Record<string, unknown>): string | null {
  const id = (key: string) => (typeof data[key] === "number" ? `#${data[key]}` : null);
  if (id("runId")) return `Training run ${id("runId")}`;
  if (id("batchId")) return `Scoring batch ${id("batchId")}`;
  if (id("reportId")) return `Report ${id("reportId")}`;
  if (id("modelId")) return `Model ${id("modelId")}`;
  if (id("datasetId")) return `Dataset ${id("datasetId")}`;
  if (typeof data.scheduledFor === "string") return `Scheduled run (${functionId})`;
  return null;
}

export type JobExecutor = "embedded" | "inngest";
export const activeExecutor = (): JobExecutor => (usesInngest() ? "inngest" : "embedded");

export interface JobListQuery {
  status?: JobStatus;
  functionId?: string;
  limit: number;
  /** Keyset cursor: jobs created before this job (its id). */
  cursor?: string;
  now?: Date;
}

export interface JobListItem {
  id: string;
  functionId: string;
  kind: string;
  subject: string | null;
  /** Status as stored; `isCleaningUp` while a failed/cancelled job's clean-up has not run yet. */
  status: JobStatus;
  isCleaningUp: boolean;
  /** A queued job that already failed a step and waits for its retry. */
  isWaitingToRetry: boolean;
  currentStep: string | null;
  stepsDone: number;
  stepsTotal: number | null;
  /** Attempts of the step currently failing (0 once it succeeds). */
  attempts: number;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  durationMs: number;
  canRetry: boolean;
  canCancel: boolean;
}

export async function listJobs(db: Database, query: JobListQuery) {
  const now = query.now ?? new Date();
  const conditions = [];
  if (query.status) conditions.push(eq(jobs.status, query.status));
  if (query.functionId) conditions.push(eq(jobs.functionId, query.functionId));
  if (query.cursor) {
    // Compared in SQL: created_at has microseconds, a JavaScript Date only milliseconds.
    conditions.push(
      sql`(${jobs.createdAt}, ${jobs.id}) < (select j.created_at, j.id from jobs j where j.id = ${query.cursor})`,
    );
  }
  const rows = await db
    .select()
    .from(jobs)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(query.limit + 1);
  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(0, query.limit) : rows;
  const finished = page.length
    ? await db
        .select({ jobId: jobSteps.jobId, stepId: jobSteps.stepId })
        .from(jobSteps)
        .where(
          inArray(
            jobSteps.jobId,
            page.map((r) => r.id),
          ),
        )
    : [];
  const doneByJob = new Map<string, Set<string>>();
  for (const f of finished) {
    const set = doneByJob.get(f.jobId) ?? new Set<string>();
    set.add(f.stepId);
    doneByJob.set(f.jobId, set);
  }
  const items: JobListItem[] = [];
  for (const row of page) {
    const done = doneByJob.get(row.id) ?? new Set<string>();
    const outline = await durableStepsOf(row.functionId, row.event.data).catch(() => null);
    const next = outline?.find((s) => !done.has(s.id)) ?? null;
    const isActive = row.status === "queued" || row.status === "running";
    const isOver = row.finishedAt !== null || row.status === "succeeded";
    items.push({
      id: row.id,
      functionId: row.functionId,
      kind: jobKindLabel(row.functionId),
      subject: jobSubject(row.functionId, row.event.data),
      status: row.status,
      isCleaningUp: (row.status === "failed" || row.status === "cancelled") && row.finishedAt === null,
      isWaitingToRetry: row.status === "queued" && row.attempts > 0,
      // The first unfinished step: the one running, the one a failed job stopped at, or the next to run.
      currentStep: row.status === "succeeded" ? null : (next?.label ?? null),
      stepsDone: done.size,
      stepsTotal: outline?.length ?? null,
      attempts: row.attempts,
      error: row.error,
      createdAt: row.createdAt,
      finishedAt: row.finishedAt,
      durationMs: Math.max(0, (row.finishedAt ?? now).getTime() - row.createdAt.getTime()),
      // Inngest owns its runs' retries and cancellations (its dashboard); the rows are a record.
      canRetry: row.status === "failed" && isOver && row.lockedBy !== "inngest",
      canCancel: isActive && row.lockedBy !== "inngest",
    });
  }
  return { items, nextCursor: hasMore ? page[page.length - 1].id : null };
}

/** Job counts by status (the page's filter chips). */
export async function countJobs(db: Database): Promise<Record<JobStatus, number>> {
  const rows = await db
    .select({ status: jobs.status, n: sql<number>`count(*)::int` })
    .from(jobs)
    .groupBy(jobs.status);
  const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

const numberIn = (data: Record<string, unknown>, key: string): number | null =>
  typeof data[key] === "number" ? (data[key] as number) : null;

function notEmbedded(): TRPCError {
  return new TRPCError({
    code: "PRECONDITION_FAILED",
    message: "Jobs run on Inngest here: retry or cancel them in the Inngest dashboard.",
  });
}

/**
 * A failed job back to the queue (see the top of the file). CONFLICT when it is not failed (or its
 * clean-up has not finished yet), or when its record cannot be reopened (a newer training run of
 * the same dataset is active).
 */
export async function retryJob(db: Database, actor: Actor, jobId: string, now = new Date()) {
  if (usesInngest()) throw notEmbedded();
  return db.transaction(async (tx) => {
    const [job] = await tx.select().from(jobs).where(eq(jobs.id, jobId)).for("update");
    if (!job) throw new TRPCError({ code: "NOT_FOUND", message: `Job ${jobId} does not exist.` });
    if (job.status !== "failed")
      throw new TRPCError({
        code: "CONFLICT",
        message: `Only a failed job can be retried; this one is ${job.status}.`,
      });
    if (job.finishedAt === null)
      throw new TRPCError({
        code: "CONFLICT",
        message: "This job is still cleaning up after its failure; retry it in a few seconds.",
      });
    const data = job.event.data;
    let restartFromFirstStep = false;
    switch (job.functionId) {
      case "train-models": {
        const runId = numberIn(data, "runId");
        const [run] = runId
          ? await tx.select().from(trainingRuns).where(eq(trainingRuns.id, runId)).for("update")
          : [];
        if (!run)
          throw new TRPCError({
            code: "CONFLICT",
            message: "Its training run no longer exists (dataset deleted).",
          });
        const [active] = await tx
          .select({ id: trainingRuns.id })
          .from(trainingRuns)
          .where(
            and(
              eq(trainingRuns.datasetId, run.datasetId),
              inArray(trainingRuns.status, ["queued", "running"]),
            ),
          );
        if (active)
          throw new TRPCError({
            code: "CONFLICT",
            message: `Training run ${active.id} of the same dataset is active; wait for it or cancel it first.`,
          });
        await tx
          .update(trainingRuns)
          .set({ status: "queued", error: null, finishedAt: null, cancelRequested: false, jobId: job.id })
          .where(eq(trainingRuns.id, run.id));
        break;
      }
      case "generate-report": {
        const reportId = numberIn(data, "reportId");
        const reopened = reportId
          ? await tx
              .update(reports)
              .set({ status: "queued", error: null, finishedAt: null, jobId: job.id })
              .where(and(eq(reports.id, reportId), eq(reports.status, "failed")))
              .returning({ id: reports.id })
          : [];
        if (reopened.length === 0)
          throw new TRPCError({ code: "CONFLICT", message: "Its report no longer exists or is not failed." });
        break;
      }
      case "drift-check": {
        const reportId = numberIn(data, "reportId");
        const reopened = reportId
          ? await tx
              .update(driftReports)
              .set({ status: "queued", error: null, finishedAt: null, jobId: job.id })
              .where(and(eq(driftReports.id, reportId), eq(driftReports.status, "failed")))
              .returning({ id: driftReports.id })
          : [];
        if (reopened.length === 0)
          throw new TRPCError({
            code: "CONFLICT",
            message: "Its drift check no longer exists or is not failed.",
          });
        break;
      }
      case "score-batch": {
        const batchId = numberIn(data, "batchId");
        const reopened = batchId
          ? await tx
              .update(scoreBatches)
              .set({
                status: "queued",
                error: null,
                finishedAt: null,
                startedAt: null,
                rowsScored: 0,
                jobId: job.id,
              })
              .where(and(eq(scoreBatches.id, batchId), eq(scoreBatches.status, "failed")))
              .returning({ id: scoreBatches.id })
          : [];
        if (reopened.length === 0)
          throw new TRPCError({
            code: "CONFLICT",
            message: "Its scoring batch no longer exists or is not failed.",
          });
        // Its clean-up deleted the rows scored so far: every chunk must run again.
        restartFromFirstStep = true;
        break;
      }
      default:
        break;
    }
    if (restartFromFirstStep) await tx.delete(jobSteps).where(eq(jobSteps.jobId, job.id));
    await tx
      .update(jobs)
      .set({
        status: "queued",
        attempts: 0,
        error: null,
        finishedAt: null,
        runAfter: now,
        lockedBy: null,
        lockedUntil: null,
      })
      .where(eq(jobs.id, job.id));
    await recordAudit(tx, actor, {
      action: "job.retried",
      targetType: "job",
      targetId: job.id,
      details: {
        functionId: job.functionId,
        label: [jobKindLabel(job.functionId), jobSubject(job.functionId, data)].filter(Boolean).join(" · "),
        error: job.error,
        fromFirstStep: restartFromFirstStep,
      },
    });
    return { id: job.id, status: "queued" as const };
  });
}

/**
 * Cancels a queued or running job. A training run or a scoring batch is cancelled through its own
 * service (which also stops the computation in progress and audits it in its words); other jobs
 * through the durable port. The job's onFailure then closes whatever it was working on.
 */
export async function cancelJob(db: Database, actor: Actor, jobId: string) {
  if (usesInngest()) throw notEmbedded();
  const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId));
  if (!job) throw new TRPCError({ code: "NOT_FOUND", message: `Job ${jobId} does not exist.` });
  if (job.status !== "queued" && job.status !== "running")
    throw new TRPCError({ code: "CONFLICT", message: `This job is already ${job.status}.` });
  const data = job.event.data;
  const runId = job.functionId === "train-models" ? numberIn(data, "runId") : null;
  const batchId = job.functionId === "score-batch" ? numberIn(data, "batchId") : null;
  if (runId) {
    const [run] = await db
      .select({ jobId: trainingRuns.jobId })
      .from(trainingRuns)
      .where(eq(trainingRuns.id, runId));
    // The run's own cancel when this job is the run's current one (a retried job is, too).
    if (run && (run.jobId === null || run.jobId === job.id)) {
      await cancelTraining(db, actor, runId).catch(async (error) => {
        if (error instanceof TRPCError && error.code === "CONFLICT") return cancelThroughPort(db, actor, job);
        throw error;
      });
      await cancelDurableWork(db, job.id).catch(() => false);
      return { id: job.id, status: "cancelled" as const };
    }
  }
  if (batchId) {
    try {
      await cancelBatch(db, actor, batchId);
      await cancelDurableWork(db, job.id).catch(() => false);
      return { id: job.id, status: "cancelled" as const };
    } catch (error) {
      if (!(error instanceof BatchNotFoundError || error instanceof BatchStateError)) throw error;
    }
  }
  await cancelThroughPort(db, actor, job);
  return { id: job.id, status: "cancelled" as const };
}

async function cancelThroughPort(db: Database, actor: Actor, job: typeof jobs.$inferSelect): Promise<void> {
  const isCancelled = await cancelDurableWork(db, job.id);
  if (!isCancelled)
    throw new TRPCError({ code: "CONFLICT", message: "This job finished before it could be cancelled." });
  await recordAudit(db, actor, {
    action: "job.cancelled",
    targetType: "job",
    targetId: job.id,
    details: {
      functionId: job.functionId,
      label: [jobKindLabel(job.functionId), jobSubject(job.functionId, job.event.data)]
        .filter(Boolean)
        .join(" · "),
    },
  });
}
