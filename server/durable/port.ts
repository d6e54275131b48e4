/**
 * How services start and cancel durable work (training runs, batch scoring, rescoring, reports)
 * without importing jobs/: jobs/ wires the executor in at start (jobs/wire.ts), so the layers stay
 * one-way (jobs → server → lib) and no service module pulls the function registry into its graph.
 *
 * Kept process-wide because Next.js loads this module once per bundle: instrumentation wires it,
 * route handlers and pages use it.
 */
import type { Database } from "../db/client";
import { processWide } from "../process-wide";
import type { AnyDurableFunction } from "./contract";

export interface DurableWorkOptions {
  /** The functions to match the event against (default: the registry). Tests pass their own. */
  functions?: readonly AnyDurableFunction[];
}

export interface DurableWorkExecutor {
  /**
   * Sends an event; every durable function triggered by it gets a job. Returns one job id per
   * triggered function. Bad data throws here, in the caller.
   */
  send(
    db: Database,
    event: string,
    data: Record<string, unknown>,
    options?: DurableWorkOptions,
  ): Promise<string[]>;
  /** Requests cancellation; false when the job is unknown or already over. */
  cancel(db: Database, jobId: string): Promise<boolean>;
  /**
   * The step list a function runs for this event data (ids and labels, in order), for the Jobs
   * page; null when the function is unknown or the data no longer parses.
   */
  stepsOf?(functionId: string, data: Record<string, unknown>): Promise<DurableStepOutline[] | null>;
}

export interface DurableStepOutline {
  id: string;
  label: string;
}

const slot = processWide("durableWorkExecutor", (): { executor: DurableWorkExecutor | null } => ({
  executor: null,
}));

/** Called by jobs/wire.ts (server start, scripts, the test setup). The last call wins. */
export function provideDurableWork(executor: DurableWorkExecutor): void {
  slot.executor = executor;
}

function executor(): DurableWorkExecutor {
  if (!slot.executor) {
    throw new Error(
      "Durable work is not wired in this process: call wireDurableWork() from jobs/wire.ts at start.",
    );
  }
  return slot.executor;
}

/**
 * Starts durable work for an event. Embedded mode enqueues with `db`, so a transaction makes it
 * part of that transaction; under Inngest the event is sent at once and cannot be rolled back, so
 * callers send after commit.
 */
export function startDurableWork(
  db: Database,
  event: string,
  data: Record<string, unknown>,
  options: DurableWorkOptions = {},
): Promise<string[]> {
  return executor().send(db, event, data, options);
}

/** Requests cancellation of a job: its current step finishes, no further step starts. */
export function cancelDurableWork(db: Database, jobId: string): Promise<boolean> {
  return executor().cancel(db, jobId);
}

/** Ids and labels of a job's steps (null when unknown or when the executor cannot tell). */
export async function durableStepsOf(
  functionId: string,
  data: Record<string, unknown>,
): Promise<DurableStepOutline[] | null> {
  const stepsOf = executor().stepsOf;
  return stepsOf ? stepsOf(functionId, data) : null;
}
