/**
 * SQL of the embedded runner, on the `jobs` and `job_steps` tables (server/db/schema.ts). The same
 * statements run on PostgreSQL and PGlite (PGlite is PostgreSQL, single-connection, so `for update
 * skip locked` is simply uncontended there). Times come from the runner's clock, so tests control them.
 *
 * Job life cycle (status, finished_at):
 *   queued ─claim→ running ─all steps→ succeeded (finished_at set)
 *   running ─step failed, attempts left→ queued (run_after = now + backoff)
 *   running ─out of attempts / non-retriable→ failed, finished_at NULL ─onFailure done→ finished_at set
 *   queued|running ─cancelJob→ cancelled, finished_at NULL ─onFailure done→ finished_at set
 * A terminal status with finished_at NULL means "onFailure still owed"; the runner claims such jobs
 * like any other, so a crash between failing a job and cleaning up after it cannot strand a run.
 */
import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { jobSteps, jobs } from "@/server/db/schema";
import type { Json } from "../types";

export type JobRow = typeof jobs.$inferSelect;

const ERROR_MAX_CHARS = 4000;
const clip = (text: string) => (text.length > ERROR_MAX_CHARS ? `${text.slice(0, ERROR_MAX_CHARS)}…` : text);

export interface NewJob {
  id: string;
  functionId: string;
  event: { name: string; data: Record<string, unknown> };
  runAfter?: Date;
}

/** Inserts jobs; an id that already exists is skipped (cron slots use deterministic ids). */
export async function insertJobs(db: Database, rows: NewJob[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insert(jobs).values(rows).onConflictDoNothing().returning({ id: jobs.id });
  return inserted.map((r) => r.id);
}

/**
 * Takes the next job this worker may work on and leases it until `lockedUntil`: a queued job whose
 * time has come, a running job whose lease expired (its worker crashed), or a failed/cancelled job
 * whose onFailure is still owed.
 */
export async function claimNextJob(
  db: Database,
  opts: { functionIds: string[]; workerId: string; now: Date; lockedUntil: Date },
): Promise<JobRow | null> {
  if (opts.functionIds.length === 0) return null;
  const candidate = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.functionId, opts.functionIds),
        lte(jobs.runAfter, opts.now),
        or(isNull(jobs.lockedUntil), lt(jobs.lockedUntil, opts.now)),
        or(
          inArray(jobs.status, ["queued", "running"]),
          and(inArray(jobs.status, ["failed", "cancelled"]), isNull(jobs.finishedAt)),
        ),
      ),
    )
    .orderBy(asc(jobs.runAfter), asc(jobs.createdAt))
    .limit(1)
    .for("update", { skipLocked: true });
  const [row] = await db
    .update(jobs)
    .set({
      status: sql`case when ${jobs.status} = 'queued' then 'running'::job_status else ${jobs.status} end`,
      lockedUntil: opts.lockedUntil,
      lockedBy: opts.workerId,
    })
    .where(inArray(jobs.id, candidate))
    .returning();
  return row ?? null;
}

export async function loadFinishedSteps(db: Database, jobId: string): Promise<Map<string, Json>> {
  const rows = await db
    .select({ stepId: jobSteps.stepId, result: jobSteps.result })
    .from(jobSteps)
    .where(eq(jobSteps.jobId, jobId));
  return new Map(rows.map((r) => [r.stepId, (r.result ?? null) as Json]));
}

type Ownership = { status: JobRow["status"] } | "cancelled" | "lost";

/** What to do when an update guarded by "still mine and running" matched nothing. */
export async function whyNotOwned(
  db: Database,
  jobId: string,
  workerId: string,
): Promise<"cancelled" | "lost"> {
  const [row] = await db
    .select({ status: jobs.status, lockedBy: jobs.lockedBy, finishedAt: jobs.finishedAt })
    .from(jobs)
    .where(eq(jobs.id, jobId));
  return row?.status === "cancelled" && row.lockedBy === workerId && row.finishedAt === null
    ? "cancelled"
    : "lost";
}

/** Records that attempt `attempt` of the next step starts now (so a crash counts as an attempt). */
export async function startAttempt(
  db: Database,
  opts: { jobId: string; workerId: string; attempt: number; lockedUntil: Date },
): Promise<Ownership> {
  const [row] = await db
    .update(jobs)
    .set({ attempts: opts.attempt, lockedUntil: opts.lockedUntil })
    .where(and(eq(jobs.id, opts.jobId), eq(jobs.lockedBy, opts.workerId), eq(jobs.status, "running")))
    .returning({ status: jobs.status });
  return row ?? whyNotOwned(db, opts.jobId, opts.workerId);
}

/** Extends the lease; false when another worker took the job over (this one must stop). */
export async function renewLease(
  db: Database,
  opts: { jobId: string; workerId: string; lockedUntil: Date },
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ lockedUntil: opts.lockedUntil })
    .where(and(eq(jobs.id, opts.jobId), eq(jobs.lockedBy, opts.workerId)))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/**
 * Stores a finished step and returns the result as stored (jsonb normalises key order, so later
 * steps get exactly what a resumed job would read back). If the step was already recorded (two
 * workers after a lease takeover), the first record wins.
 */
export async function recordStep(
  db: Database,
  opts: { jobId: string; workerId: string; stepId: string; result: Json; durationMs: number; now: Date },
): Promise<{ stored: Json; isStillOwned: boolean }> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(jobSteps)
      .values({
        jobId: opts.jobId,
        stepId: opts.stepId,
        result: opts.result,
        durationMs: Math.round(opts.durationMs),
        finishedAt: opts.now,
      })
      .onConflictDoNothing()
      .returning({ result: jobSteps.result });
    let stored = inserted[0]?.result;
    if (inserted.length === 0) {
      const [existing] = await tx
        .select({ result: jobSteps.result })
        .from(jobSteps)
        .where(and(eq(jobSteps.jobId, opts.jobId), eq(jobSteps.stepId, opts.stepId)));
      stored = existing?.result;
    }
    const owned = await tx
      .update(jobs)
      .set({ attempts: 0, error: null })
      .where(and(eq(jobs.id, opts.jobId), eq(jobs.lockedBy, opts.workerId)))
      .returning({ id: jobs.id });
    return { stored: (stored ?? null) as Json, isStillOwned: owned.length > 0 };
  });
}

/** A failed attempt with attempts left: back to the queue until `runAfter`. */
export async function scheduleRetry(
  db: Database,
  opts: { jobId: string; workerId: string; runAfter: Date; error: string },
): Promise<Ownership> {
  const [row] = await db
    .update(jobs)
    .set({
      status: "queued",
      runAfter: opts.runAfter,
      lockedUntil: null,
      lockedBy: null,
      error: clip(opts.error),
    })
    .where(and(eq(jobs.id, opts.jobId), eq(jobs.lockedBy, opts.workerId), eq(jobs.status, "running")))
    .returning({ status: jobs.status });
  return row ?? whyNotOwned(db, opts.jobId, opts.workerId);
}

/**
 * Every step finished. Also wins over a cancellation that arrived during the last step: the work
 * is done, and reporting it as cancelled would contradict what the steps already recorded.
 */
export async function markSucceeded(
  db: Database,
  opts: { jobId: string; workerId: string; now: Date },
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({
      status: "succeeded",
      error: null,
      attempts: 0,
      lockedUntil: null,
      lockedBy: null,
      finishedAt: opts.now,
    })
    .where(
      and(
        eq(jobs.id, opts.jobId),
        eq(jobs.lockedBy, opts.workerId),
        inArray(jobs.status, ["running", "cancelled"]),
      ),
    )
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** The job failed for good; onFailure is still owed (finished_at stays NULL until it ran). */
export async function markFailed(
  db: Database,
  opts: { jobId: string; workerId: string; error: string },
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ status: "failed", error: clip(opts.error), attempts: 0 })
    .where(and(eq(jobs.id, opts.jobId), eq(jobs.lockedBy, opts.workerId), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** onFailure threw: try again after `runAfter` (counted in `attempts`). */
export async function scheduleFinalizeRetry(
  db: Database,
  opts: { jobId: string; workerId: string; attempts: number; runAfter: Date },
): Promise<void> {
  await db
    .update(jobs)
    .set({ attempts: opts.attempts, runAfter: opts.runAfter, lockedUntil: null, lockedBy: null })
    .where(and(eq(jobs.id, opts.jobId), eq(jobs.lockedBy, opts.workerId)));
}

/** onFailure ran (or gave up): the job is over. */
export async function markFinished(
  db: Database,
  opts: { jobId: string; workerId: string; now: Date; errorSuffix?: string },
): Promise<void> {
  await db
    .update(jobs)
    .set({
      finishedAt: opts.now,
      lockedUntil: null,
      lockedBy: null,
      ...(opts.errorSuffix
        ? { error: sql`left(coalesce(${jobs.error}, '') || ${opts.errorSuffix}, ${ERROR_MAX_CHARS})` }
        : {}),
    })
    .where(and(eq(jobs.id, opts.jobId), eq(jobs.lockedBy, opts.workerId)));
}

/** Graceful stop between steps: give the job back so the next start resumes it at once. */
export async function releaseJob(db: Database, opts: { jobId: string; workerId: string }): Promise<void> {
  await db
    .update(jobs)
    .set({ lockedUntil: null, lockedBy: null })
    .where(and(eq(jobs.id, opts.jobId), eq(jobs.lockedBy, opts.workerId)));
}

/**
 * For a runner that is the only possible worker (PGlite: one process per data folder): every lease
 * in the table belongs to a previous, dead process, so there is no need to wait for it to expire.
 */
export async function releaseAllLeases(db: Database): Promise<number> {
  const rows = await db
    .update(jobs)
    .set({ lockedUntil: null, lockedBy: null })
    .where(isNotNull(jobs.lockedBy))
    .returning({ id: jobs.id });
  return rows.length;
}

/** Requests cancellation of a queued or running job; false when it is unknown or already over. */
export async function requestCancel(db: Database, jobId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ status: "cancelled", error: "Cancelled", runAfter: now })
    .where(and(eq(jobs.id, jobId), inArray(jobs.status, ["queued", "running"])))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export async function pruneFinishedJobs(db: Database, finishedBefore: Date): Promise<number> {
  const rows = await db
    .delete(jobs)
    .where(and(isNotNull(jobs.finishedAt), lt(jobs.finishedAt, finishedBefore)))
    .returning({ id: jobs.id });
  return rows.length;
}

export interface JobView {
  id: string;
  functionId: string;
  eventName: string;
  status: JobRow["status"];
  /** Attempts of the step currently failing (0 once it succeeds). */
  attempts: number;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** Finished steps in the order they finished. */
  steps: { stepId: string; durationMs: number; finishedAt: Date }[];
}

/** A job of the embedded runner and its finished steps (for status pages and tests). */
export async function getJob(db: Database, jobId: string): Promise<JobView | null> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, jobId));
  if (!row) return null;
  const steps = await db
    .select({ stepId: jobSteps.stepId, durationMs: jobSteps.durationMs, finishedAt: jobSteps.finishedAt })
    .from(jobSteps)
    .where(eq(jobSteps.jobId, jobId))
    .orderBy(asc(jobSteps.finishedAt));
  return {
    id: row.id,
    functionId: row.functionId,
    eventName: row.event.name,
    status: row.status,
    attempts: row.attempts,
    error: row.error,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    steps,
  };
}
