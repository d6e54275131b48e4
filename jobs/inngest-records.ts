/**
 * Under Inngest the embedded runner's `jobs` / `job_steps` tables would stay empty, and so would
 * Admin → Jobs. The adapter (inngest-adapter.ts) therefore writes the same record the runner
 * writes: one `jobs` row per run (status, attempts of the failing step, error, created/finished
 * times, hence the duration) and one `job_steps` row per finished step (duration; the result stays
 * in Inngest, the page needs only which steps are done).
 *
 * Rows are leased to "inngest" until the end of time, so an embedded runner sharing the database
 * never claims them. Recording is best effort: a failed write is logged and never fails the run,
 * whose real state Inngest keeps.
 */
import { and, eq, ne } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { jobSteps, jobs } from "@/server/db/schema";

export const INNGEST_WORKER = "inngest";
const NEVER = new Date("9999-12-31T00:00:00.000Z");
const ERROR_MAX_CHARS = 2000;

interface RunRef {
  jobId: string;
  functionId: string;
  event: { name: string; data: Record<string, unknown> };
}

async function quietly(what: string, jobId: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    console.error(`[churnguard:jobs] could not record ${what} of Inngest run ${jobId}`, error);
  }
}

/** Only this function's row: under Inngest one event's job id is shared by every function it triggers. */
const ownRow = (run: RunRef) => and(eq(jobs.id, run.jobId), eq(jobs.functionId, run.functionId));

/** A step is about to run (attempt is 1-based): the run is "running", created on its first step. */
export function recordStepStarted(db: Database, run: RunRef, attempt: number): Promise<void> {
  return quietly("a step start", run.jobId, () =>
    db
      .insert(jobs)
      .values({
        id: run.jobId,
        functionId: run.functionId,
        event: run.event,
        status: "running",
        attempts: attempt,
        lockedBy: INNGEST_WORKER,
        lockedUntil: NEVER,
      })
      .onConflictDoUpdate({
        target: jobs.id,
        set: { status: "running", attempts: attempt },
        // A cancelled or finished run stays so (a late step of it changes nothing).
        setWhere: and(
          eq(jobs.functionId, run.functionId),
          ne(jobs.status, "cancelled"),
          ne(jobs.status, "succeeded"),
        ),
      }),
  );
}

export function recordStepFinished(
  db: Database,
  run: RunRef,
  stepId: string,
  durationMs: number,
): Promise<void> {
  return quietly("a finished step", run.jobId, async () => {
    await db
      .insert(jobSteps)
      .values({ jobId: run.jobId, stepId, result: null, durationMs: Math.round(durationMs) })
      .onConflictDoNothing();
    await db.update(jobs).set({ attempts: 0, error: null }).where(ownRow(run));
  });
}

/**
 * A step threw. With attempts left Inngest retries it: the run shows as waiting to retry (queued,
 * attempts > 0, as in the runner). Otherwise it failed; `finishedAt` stays empty while an
 * onFailure clean-up is still owed (the page says "cleaning up"), as the runner records it.
 */
export function recordStepFailed(
  db: Database,
  run: RunRef,
  opts: { stepId: string; attempt: number; error: string; isFinal: boolean; hasCleanUp: boolean; now?: Date },
): Promise<void> {
  const now = opts.now ?? new Date();
  return quietly("a failed step", run.jobId, () =>
    db
      .update(jobs)
      .set({
        status: opts.isFinal ? "failed" : "queued",
        attempts: opts.attempt,
        error: `Step "${opts.stepId}": ${opts.error}`.slice(0, ERROR_MAX_CHARS),
        finishedAt: opts.isFinal && !opts.hasCleanUp ? now : null,
      })
      .where(and(ownRow(run), ne(jobs.status, "cancelled"))),
  );
}

export function recordSucceeded(db: Database, run: RunRef, now = new Date()): Promise<void> {
  return quietly("the success", run.jobId, () =>
    db
      .update(jobs)
      .set({ status: "succeeded", attempts: 0, error: null, finishedAt: now })
      .where(and(ownRow(run), ne(jobs.status, "succeeded"))),
  );
}

/** The run failed for good (or was cancelled) and its onFailure has run. */
export function recordEnded(
  db: Database,
  run: RunRef,
  opts: { status: "failed" | "cancelled"; error: string; now?: Date },
): Promise<void> {
  const now = opts.now ?? new Date();
  return quietly(`the ${opts.status} end`, run.jobId, () =>
    db
      .insert(jobs)
      .values({
        id: run.jobId,
        functionId: run.functionId,
        event: run.event,
        status: opts.status,
        error: opts.error.slice(0, ERROR_MAX_CHARS),
        lockedBy: INNGEST_WORKER,
        lockedUntil: NEVER,
        finishedAt: now,
      })
      .onConflictDoUpdate({
        target: jobs.id,
        // A failed run keeps its step's error, which names the step.
        set: {
          status: opts.status,
          finishedAt: now,
          ...(opts.status === "cancelled" ? { error: opts.error.slice(0, ERROR_MAX_CHARS) } : {}),
        },
        setWhere: and(eq(jobs.functionId, run.functionId), ne(jobs.status, "succeeded")),
      }),
  );
}
