/**
 * The contract of durable work, owned by the server so services can start it and name its errors
 * without importing jobs/ (layers run jobs → server → lib). jobs/ implements it: both executors
 * (Inngest and the embedded runner in jobs/runner) run functions of this shape.
 *
 * A function is an ordered list of steps; each step is idempotent, returns a JSON-serialisable
 * result, and is recorded when it finishes, so a retried or resumed job skips finished steps and
 * reuses their results. Steps call services; they hold no state.
 */
import type { Database } from "../db/client";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface StepContext<TData> {
  /** The triggering event's data (validated by the function's schema before the job starts). */
  data: TData;
  /** Results of the steps before this one, by step id (already JSON round-tripped). */
  results: Readonly<Record<string, Json>>;
  jobId: string;
  /** 1 for the first try of this step, 2 for the first retry, … */
  attempt: number;
  db: Database;
}

export interface DurableStep<TData> {
  id: string;
  /** Shown to people ("Training random forest"). */
  label: string;
  /** Share of the progress bar this step represents (default 1). */
  weight?: number;
  run(ctx: StepContext<TData>): Promise<Json>;
}

export interface DurableFunction<TData> {
  /** Stable id, e.g. "train-models"; Inngest uses it as the function id. */
  id: string;
  /** Event name that triggers it, e.g. "churnguard/training.requested". */
  event: string;
  /** Parses and validates event data (zod schema's parse). */
  parse(data: unknown): TData;
  /** The ordered steps for this event (may depend on it: one step per algorithm). */
  steps(data: TData): DurableStep<TData>[];
  /** Attempts per step before the job fails (including the first). */
  maxAttempts: number;
  /** Optional cron expression ("0 3 * * *"): the runner sends the event on schedule. */
  cron?: string;
  /**
   * Optional gate of the cron schedule, asked by the embedded runner before it records a slot:
   * false records nothing (no job row), so a schedule that is usually idle (the demo event
   * generator while off) does not add a row every minute. Inngest's cron still invokes the
   * function, which must therefore also return at once when there is nothing to do.
   */
  isCronDue?(ctx: { db: Database; slot: Date }): Promise<boolean>;
  /** Called once when the job fails for good or is cancelled: must leave no "running" state behind. */
  onFailure?(ctx: { data: TData; error: Error; db: Database; jobId: string }): Promise<void>;
}

/** Throw from a step to fail the job at once, without retries (bad input, cancelled run). */
export class NonRetriableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NonRetriableError";
  }
}

/** Lists and registries hold functions of different data types; `any` is confined to this alias. */
// biome-ignore lint/suspicious/noExplicitAny: see above; each function is fully typed where it is defined
export type AnyDurableFunction = DurableFunction<any>;
