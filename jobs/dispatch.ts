/**
 * The one entry point the rest of the app uses for durable jobs. It hides which executor runs
 * them: Inngest when configured (usesInngest() in server/env.ts), else the embedded runner.
 *
 *   const [jobId] = await sendEvent(db, "churnguard/training.requested", { runId });
 *   await cancelJob(db, jobId);
 *
 * Server start (server/startup.ts) calls startEmbeddedRunner(); it does nothing under Inngest.
 */
import { randomUUID } from "node:crypto";
import { type Database, getDatabase } from "@/server/db/client";
import type { DurableWorkOptions } from "@/server/durable/port";
import { isOnLambda, usesInngest } from "@/server/env";
import { logger } from "@/server/log";
import { processWide } from "@/server/process-wide";
import { getInngest } from "./client";
import { CANCEL_EVENT, JOB_ID_KEY } from "./events";
import { toEventData } from "./json";
import { functionsForEvent, getDurableFunctions } from "./registry";
import { EmbeddedRunner, type EmbeddedRunnerOptions } from "./runner/runner";
import { notifyJobEnqueued } from "./runner/signal";
import { insertJobs, requestCancel } from "./runner/store";

/** The port's options (server/durable/port.ts). */
export type DispatchOptions = DurableWorkOptions;

/**
 * Sends an event: every durable function triggered by it gets a job. The data is validated by each
 * function's `parse` first, so bad data throws here, in the caller, not later in a job.
 * Returns one job id per triggered function (under Inngest they are all the event's job id).
 *
 * Embedded mode inserts the jobs with `db`, so passing a transaction makes enqueueing part of it
 * (the runner sees the job after commit, at its next poll: ≤ 1 s). Under Inngest the event is sent
 * at once and is not rolled back with a transaction: send after commit.
 */
export async function sendEvent(
  db: Database,
  name: string,
  data: Record<string, unknown>,
  options: DispatchOptions = {},
): Promise<string[]> {
  const targets = functionsForEvent(name, options.functions);
  const json = toEventData(data, name);
  for (const fn of targets) fn.parse(json);

  if (usesInngest()) {
    const jobId = newJobId();
    await getInngest().send({ name, data: { ...json, [JOB_ID_KEY]: jobId } });
    return targets.map(() => jobId);
  }
  const ids = await insertJobs(
    db,
    targets.map((fn) => ({
      id: newJobId(),
      functionId: fn.id,
      event: { name, data: json },
      runAfter: new Date(),
    })),
  );
  if (ids.length > 0) notifyJobEnqueued();
  return ids;
}

/**
 * Requests cancellation. The current step (if any) finishes; no further step starts, and the
 * function's onFailure runs with a JobCancelledError (see isJobCancelled). Returns false when the
 * job is unknown or already over (embedded mode); under Inngest the request is sent and true returned.
 * A cancellation arriving while the last step runs is too late: the job succeeds.
 */
export async function cancelJob(db: Database, jobId: string): Promise<boolean> {
  if (usesInngest()) {
    await getInngest().send({ name: CANCEL_EVENT, data: { jobId } });
    return true;
  }
  const isCancelled = await requestCancel(db, jobId, new Date());
  if (isCancelled) notifyJobEnqueued();
  return isCancelled;
}

function newJobId(): string {
  return `job_${randomUUID()}`;
}

// ─── The process-wide embedded runner ──────────────────────────────────────────────────────────

interface RunnerSingleton {
  starting?: Promise<EmbeddedRunner | null>;
}
// Once per process for the same reason as the database: Next.js bundles are separate module graphs.
const singleton = processWide("embeddedRunner", (): RunnerSingleton => ({}));

/**
 * Starts the embedded runner on the app database with every registered function, unless Inngest
 * is configured (then returns null). Safe to call more than once: later calls return the same runner.
 */
export function startEmbeddedRunner(
  options: Partial<Omit<EmbeddedRunnerOptions, "db" | "functions">> = {},
): Promise<EmbeddedRunner | null> {
  if (usesInngest()) return Promise.resolve(null);
  if (isOnLambda()) {
    // Lambda freezes the process after each response: a step would stall and its lease expire.
    return Promise.reject(
      new Error(
        "The embedded job runner cannot run on AWS Lambda: set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY so durable jobs run on Inngest.",
      ),
    );
  }
  singleton.starting ??= (async () => {
    const handle = await getDatabase();
    const functions = getDurableFunctions();
    const runner = new EmbeddedRunner({
      db: handle.db,
      functions,
      // PGlite: one process per data folder, so any lease in the table is a previous process's.
      exclusive: handle.kind === "pglite",
      ...options,
    });
    runner.start();
    const names = functions.map((fn) => fn.id).join(", ") || "none";
    logger("jobs").info(`embedded runner started (functions: ${names})`);
    return runner;
  })();
  singleton.starting.catch(() => {
    singleton.starting = undefined;
  });
  return singleton.starting;
}

/** Stops the embedded runner gracefully (the current step finishes first); safe to call twice. */
export async function stopEmbeddedRunner(options: { timeoutMs?: number } = {}): Promise<void> {
  const pending = singleton.starting;
  singleton.starting = undefined;
  const runner = await pending?.catch(() => null);
  await runner?.stop(options);
}

export { getJob, type JobView } from "./runner/store";

/** Wakes the runner now (e.g. right after committing a transaction that enqueued a job). */
export { notifyJobEnqueued as wakeEmbeddedRunner };
