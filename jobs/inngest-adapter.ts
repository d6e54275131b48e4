/**
 * Turns a DurableFunction into Inngest functions, so production runs the very step list the
 * embedded runner runs:
 * - each DurableStep becomes `step.run(step.id, …)`, in order; its result goes through
 *   `toStepResult` (same JSON rules as the runner) and later steps get the JSON-parsed copy;
 * - our NonRetriableError (and JobCancelledError) becomes Inngest's NonRetriableError;
 * - `maxAttempts` becomes `retries: maxAttempts - 1` (Inngest counts retries after the first try);
 * - `onFailure` is wired to Inngest's onFailure, and, because Inngest does not call onFailure for a
 *   cancelled run, to a companion function on the `inngest/function.cancelled` system event;
 * - `cancelOn` matches `cancelJob`'s event on the job id that `sendEvent` put in the event data;
 * - `cron` adds a cron trigger; the function then receives `{ scheduledFor }` like in the runner;
 * - each run is recorded in the runner's `jobs` / `job_steps` tables (inngest-records.ts), so
 *   Admin → Jobs lists Inngest runs too: status, current step, attempts, error, duration. (A
 *   cancelled run of a function without onFailure has no cancellation hook and is not recorded
 *   as cancelled.)
 */
import { type Inngest, type InngestFunction, NonRetriableError as InngestNonRetriableError } from "inngest";
import { type Database, getDb as getAppDb } from "@/server/db/client";
import { withLogContext } from "@/server/log";
import { observeJobRun, observeJobStep } from "@/server/metrics";
import { getInngest } from "./client";
import type { AnyDurableFunction } from "./define";
import { isJobCancelled, isNonRetriable, JobCancelledError, toError } from "./errors";
import { CANCEL_EVENT, cronEventData, JOB_ID_KEY } from "./events";
import {
  recordEnded,
  recordStepFailed,
  recordStepFinished,
  recordStepStarted,
  recordSucceeded,
} from "./inngest-records";
import { toStepResult } from "./json";
import type { Json } from "./types";

export interface InngestAdapterOptions {
  client?: Inngest;
  /** How steps get the database (tests pass their own). */
  getDb?: () => Promise<Database>;
  /**
   * Record runs in the `jobs` / `job_steps` tables for Admin → Jobs (inngest-records.ts); default
   * true. Unit tests with a stand-in database turn it off.
   */
  recordRuns?: boolean;
}

const SCHEDULED_EVENT = "inngest/scheduled.timer";
const CANCELLED_EVENT = "inngest/function.cancelled";

interface IncomingEvent {
  name: string;
  data?: unknown;
  ts?: number;
}

/** The function's data and job id from a triggering event (ours or Inngest's cron timer). */
function decodeEvent(fn: AnyDurableFunction, event: IncomingEvent, runId: string) {
  const raw = (event.data ?? {}) as Record<string, unknown>;
  if (event.name === SCHEDULED_EVENT) {
    return { data: fn.parse(cronEventData(new Date(event.ts ?? Date.now()))), jobId: runId };
  }
  const { [JOB_ID_KEY]: jobId, ...data } = raw;
  try {
    return { data: fn.parse(data), jobId: typeof jobId === "string" ? jobId : runId };
  } catch (error) {
    throw new InngestNonRetriableError(`Invalid event data: ${toError(error).message}`, { cause: error });
  }
}

/** Inngest deserialises the final error; recover "this was a cancellation" from its name or cause. */
function failureError(error: unknown): Error {
  const e = toError(error);
  const cause = (e as { cause?: unknown }).cause;
  if (
    isJobCancelled(e) ||
    (cause instanceof Object && (cause as { name?: unknown }).name === "JobCancelledError")
  ) {
    return new JobCancelledError(e.message);
  }
  return e;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * Inngest's onFailure for `fn`: decodes the original event from the `inngest/function.failed`
 * payload and calls `fn.onFailure`. Exported for tests (the test engine does not run onFailure).
 */
export function failureHandler(fn: AnyDurableFunction, getDb: () => Promise<Database>, recordRuns = true) {
  return async ({ event, error, runId }: { event: { data: unknown }; error: unknown; runId: string }) => {
    const failed = event.data as { event: IncomingEvent; run_id?: string };
    const { data, jobId } = decodeEvent(fn, failed.event, failed.run_id ?? runId);
    const db = await getDb();
    const cause = failureError(error);
    observeJobRun({ functionId: fn.id, outcome: isJobCancelled(cause) ? "cancelled" : "failed" });
    await fn.onFailure?.({ data, error: cause, db, jobId });
    if (recordRuns) {
      await recordEnded(db, runRef(fn, failed.event, jobId, data), {
        status: isJobCancelled(cause) ? "cancelled" : "failed",
        error: cause.message,
      });
    }
  };
}

/** What identifies a run's row in the jobs table. */
function runRef(fn: AnyDurableFunction, event: IncomingEvent, jobId: string, data: unknown) {
  return {
    jobId,
    functionId: fn.id,
    event: { name: event.name, data: (data ?? {}) as Record<string, unknown> },
  };
}

type Retries = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20;
const retriesFor = (fn: AnyDurableFunction) => Math.min(20, Math.max(0, fn.maxAttempts - 1)) as Retries;

export function toInngestFunctions(
  fn: AnyDurableFunction,
  options: InngestAdapterOptions = {},
): InngestFunction.Any[] {
  const client = options.client ?? getInngest();
  const getDb = options.getDb ?? getAppDb;
  const recordRuns = options.recordRuns ?? true;
  const triggers = fn.cron ? [{ event: fn.event }, { cron: fn.cron }] : [{ event: fn.event }];

  const main = client.createFunction(
    {
      id: fn.id,
      triggers,
      retries: retriesFor(fn),
      cancelOn: [{ event: CANCEL_EVENT, if: `async.data.jobId == event.data.${JOB_ID_KEY}` }],
      onFailure: fn.onFailure ? failureHandler(fn, getDb, recordRuns) : undefined,
    },
    async ({ event, step, runId, attempt }) => {
      const { data, jobId } = decodeEvent(fn, event as IncomingEvent, runId);
      const run = runRef(fn, event as IncomingEvent, jobId, data);
      const steps = fn.steps(data);
      const results: Record<string, Json> = {};
      for (const s of steps) {
        const value = await step.run(s.id, async () => {
          const db = await getDb();
          if (recordRuns) await recordStepStarted(db, run, attempt + 1);
          const started = performance.now();
          let outcome = "failed";
          try {
            const out = await withLogContext({ jobId, function: fn.id }, async () =>
              s.run({
                data,
                results: Object.freeze({ ...results }),
                jobId,
                attempt: attempt + 1,
                db,
              }),
            );
            outcome = "ok";
            const json = toStepResult(out, s.id);
            if (recordRuns) await recordStepFinished(db, run, s.id, performance.now() - started);
            return json;
          } catch (error) {
            const isNonRetriableError = isNonRetriable(error);
            if (recordRuns) {
              await recordStepFailed(db, run, {
                stepId: s.id,
                attempt: attempt + 1,
                error: toError(error).message,
                isFinal: isNonRetriableError || attempt + 1 >= fn.maxAttempts,
                hasCleanUp: Boolean(fn.onFailure),
              });
            }
            if (isNonRetriableError) {
              throw new InngestNonRetriableError(toError(error).message, { cause: error });
            }
            throw error;
          } finally {
            const seconds = (performance.now() - started) / 1000;
            observeJobStep({ functionId: fn.id, step: s.id, outcome, seconds });
          }
        });
        // Memoised results arrive parsed from JSON already; fresh ones are made identical to them.
        results[s.id] = deepFreeze(JSON.parse(JSON.stringify(value ?? null)) as Json);
      }
      // Reached once all steps are memoised (Inngest replays them without running them again);
      // a retried final request reaches it again, which recordSucceeded tolerates.
      if (recordRuns) await recordSucceeded(await getDb(), run);
      observeJobRun({ functionId: fn.id, outcome: "succeeded" });
      return { jobId, steps: steps.map((s) => s.id) };
    },
  );
  if (!fn.onFailure) return [main];

  const onCancelled = client.createFunction(
    {
      id: `${fn.id}-on-cancel`,
      name: `${fn.id}: clean up after cancellation`,
      triggers: [{ event: CANCELLED_EVENT, if: `event.data.function_id == '${client.id}-${fn.id}'` }],
      retries: retriesFor(fn),
    },
    async ({ event }) => {
      const cancelled = event.data as { event: IncomingEvent; run_id: string };
      const { data, jobId } = decodeEvent(fn, cancelled.event, cancelled.run_id);
      const db = await getDb();
      const error = new JobCancelledError();
      observeJobRun({ functionId: fn.id, outcome: "cancelled" });
      await fn.onFailure?.({ data, error, db, jobId });
      if (recordRuns) {
        await recordEnded(db, runRef(fn, cancelled.event, jobId, data), {
          status: "cancelled",
          error: error.message,
        });
      }
    },
  );
  return [main, onCancelled];
}

/** Every registered durable function as Inngest functions, for `serve`. */
export function toInngestFunctionList(
  functions: readonly AnyDurableFunction[],
  options: InngestAdapterOptions = {},
): InngestFunction.Any[] {
  return functions.flatMap((fn) => toInngestFunctions(fn, options));
}
