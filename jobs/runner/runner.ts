/**
 * The embedded durable-job runner: executes the same step lists as Inngest when Inngest is not
 * configured, inside the server process, with the state in the database (see ./store.ts).
 *
 * - Up to `concurrency` jobs at a time per process (default 2), never two of the same function:
 *   two trainings at once would only make both slower on the 2-core target machine, but a training
 *   must not hold up a batch scoring or a champion's rescoring queued behind it (a 15-minute run
 *   made every other job wait). Several processes on one PostgreSQL database each take their own
 *   jobs (`for update skip locked`), so the design scales out without changes.
 * - Finished steps are recorded with their JSON result; a retried or resumed job skips them and
 *   hands their stored results to later steps (never live objects).
 * - A job is leased (`locked_until`) and the lease is renewed while a step runs. A worker that
 *   crashes stops renewing; when the lease expires (or at once on the next start, for PGlite, where
 *   only one process can open the database) the job is resumed at its first unfinished step.
 * - Starting an attempt is recorded before the step runs, so a step that crashes the process counts
 *   as a failed attempt: a job that keeps crashing its worker is failed after maxAttempts, never
 *   retried forever. A step that hangs is abandoned after `stepTimeoutMs` and counts as failed.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Database } from "@/server/db/client";
import { logger, withLogContext } from "@/server/log";
import { observeJobRun, observeJobStep } from "@/server/metrics";
import type { AnyDurableFunction } from "../define";
import { isJobCancelled, isNonRetriable, JobCancelledError, toError } from "../errors";
import { cronEventData } from "../events";
import { toStepResult } from "../json";
import { type DurableStep, type Json, NonRetriableError } from "../types";
import { type CronSchedule, latestCronTimeBetween, parseCron } from "./cron";
import { onJobEnqueued } from "./signal";
import {
  claimNextJob,
  insertJobs,
  type JobRow,
  loadFinishedSteps,
  markFailed,
  markFinished,
  markSucceeded,
  type NewJob,
  recordStep,
  releaseAllLeases,
  releaseJob,
  renewLease,
  scheduleFinalizeRetry,
  scheduleRetry,
  startAttempt,
  whyNotOwned,
} from "./store";

export interface RunnerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface EmbeddedRunnerOptions {
  db: Database;
  functions: readonly AnyDurableFunction[];
  /** Written to `jobs.locked_by`; defaults to host:pid:random. */
  workerId?: string;
  /** How often the table is polled when no wake-up arrives (default 1000 ms). */
  pollIntervalMs?: number;
  /** Lease length, renewed every third of it while a step runs (default 60 s). */
  leaseMs?: number;
  /** A step still running after this is abandoned and counts as a failed attempt (default 30 min). */
  stepTimeoutMs?: number;
  /** Jobs worked on at once by the started loop, at most one per function (default 2; drain() runs one). */
  concurrency?: number;
  /** Delay before attempt `attempt + 1` after attempt `attempt` failed (default: see defaultBackoffMs). */
  backoffMs?: (attempt: number) => number;
  /** The clock for leases, retries and cron (tests inject one). */
  now?: () => Date;
  /**
   * True when no other process can work on this database (PGlite): leases left by a previous
   * process are released on start instead of waiting for them to expire.
   */
  exclusive?: boolean;
  logger?: RunnerLogger;
}

/** 1 s, 2 s, 4 s … capped at 60 s, ±20 % jitter so retries of several jobs do not align. */
export function defaultBackoffMs(attempt: number): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

const consoleLogger: RunnerLogger = {
  info: (m) => logger("jobs").info(m),
  warn: (m) => logger("jobs").warn(m),
  error: (m, e) => logger("jobs").error({ err: e }, m),
};

type StepOutcome =
  | { kind: "ok"; result: Json; durationMs: number }
  | { kind: "failed"; error: Error }
  | { kind: "lost" }
  | { kind: "killed" };

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

const errorText = (e: Error) => e.message || e.name;

export class EmbeddedRunner {
  readonly workerId: string;
  private readonly db: Database;
  private readonly functions: Map<string, AnyDurableFunction>;
  private readonly schedules: { fn: AnyDurableFunction; schedule: CronSchedule }[];
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly stepTimeoutMs: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly now: () => Date;
  private readonly exclusive: boolean;
  private readonly log: RunnerLogger;
  private readonly concurrency: number;
  /** Jobs the started loop is working on, by id, with their function's id. */
  private readonly inFlight = new Map<string, { functionId: string; work: Promise<void> }>();

  private lastCronCheck: Date;
  private loop: Promise<void> | null = null;
  private isStopping = false;
  private isKilled = false;
  private wakeUp: (() => void) | null = null;
  private hasPendingWake = false;
  /** Resolvers of the steps in flight, so kill() can stop waiting for them at once. */
  private readonly killWaiters = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;

  constructor(options: EmbeddedRunnerOptions) {
    this.db = options.db;
    this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.functions = new Map(options.functions.map((fn) => [fn.id, fn]));
    // Parsed now so a bad expression stops the start with its message, not a silent missing schedule.
    this.schedules = options.functions.flatMap((fn) =>
      fn.cron ? [{ fn, schedule: parseCron(fn.cron) }] : [],
    );
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.stepTimeoutMs = options.stepTimeoutMs ?? 30 * 60_000;
    this.backoffMs = options.backoffMs ?? defaultBackoffMs;
    this.now = options.now ?? (() => new Date());
    this.exclusive = options.exclusive ?? false;
    this.log = options.logger ?? consoleLogger;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
    this.lastCronCheck = this.now();
  }

  get isRunning(): boolean {
    return this.loop !== null && !this.isStopping && !this.isKilled;
  }

  /** Starts polling in the background (idempotent). */
  start(): void {
    if (this.loop || this.isKilled) return;
    this.unsubscribe = onJobEnqueued(() => this.wake());
    this.loop = this.runLoop().finally(() => {
      this.unsubscribe?.();
      this.unsubscribe = null;
    });
  }

  /** Makes a sleeping runner look for work now. */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.hasPendingWake = true;
  }

  /**
   * Graceful stop: the current step finishes, its result is recorded, the job is handed back
   * (resumed at once by the next start) and the loop ends. After `timeoutMs` the runner is killed
   * instead: the step is abandoned and the job resumes when its lease expires.
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.isStopping = true;
    this.wake();
    if (!this.loop) return;
    const timeoutMs = options.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const outcome = await Promise.race([this.loop.then(() => "done" as const), timedOut]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      this.log.warn(`stop timed out after ${timeoutMs} ms; abandoning the running step`);
      this.kill();
    }
  }

  /**
   * Stops dead, as a crash would: nothing more is written for the current job (its lease simply
   * expires). For tests of crash recovery, and the last resort of `stop`.
   */
  kill(): void {
    this.isKilled = true;
    this.isStopping = true;
    for (const stopWaiting of this.killWaiters) stopWaiting();
    this.wake();
  }

  /**
   * Runs every job that is due now, one after another, then returns how many it worked on (a job
   * retried later counts once per attempt). For tests and scripts; do not mix with `start()`.
   */
  async drain(): Promise<number> {
    if (this.loop) throw new Error("drain() cannot be used while the runner loop is started");
    await this.enqueueDueCronJobs();
    let count = 0;
    while (!this.isStopping && (await this.runNextJob())) count += 1;
    return count;
  }

  /** Enqueues the latest cron slot of each scheduled function that passed since the last check. */
  async enqueueDueCronJobs(): Promise<string[]> {
    const now = this.now();
    const from = this.lastCronCheck;
    this.lastCronCheck = now;
    if (now <= from) return [];
    const due = this.schedules.flatMap(({ fn, schedule }) => {
      const slot = latestCronTimeBetween(schedule, from, now);
      return slot ? [{ fn, slot }] : [];
    });
    const rows: NewJob[] = [];
    for (const { fn, slot } of due) {
      if (fn.isCronDue && !(await fn.isCronDue({ db: this.db, slot }))) continue;
      // Deterministic id: several processes (or a restart within the minute) enqueue a slot once.
      rows.push({
        id: `cron:${fn.id}:${slot.toISOString()}`,
        functionId: fn.id,
        event: { name: fn.event, data: cronEventData(slot) },
        runAfter: slot,
      });
    }
    const ids = await insertJobs(this.db, rows);
    for (const id of ids) this.log.info(`scheduled ${id}`);
    return ids;
  }

  private async runLoop(): Promise<void> {
    let failures = 0;
    if (this.exclusive) {
      const released = await releaseAllLeases(this.db).catch((e) => {
        this.log.error("could not release leases of a previous process", e);
        return 0;
      });
      if (released > 0) this.log.info(`resuming ${released} job(s) interrupted by the last shutdown`);
    }
    while (!this.isStopping) {
      try {
        await this.enqueueDueCronJobs();
        await this.fillSlots();
        failures = 0;
        // Woken early by a new job or by a job of ours finishing (a slot is free).
        await this.sleep(this.pollIntervalMs);
      } catch (error) {
        // The database being briefly unreachable must not end the loop: back off and try again.
        failures += 1;
        this.log.error("runner loop error", error);
        await this.sleep(Math.min(30_000, this.pollIntervalMs * 2 ** failures));
      }
    }
    // A graceful stop lets the jobs in flight finish their current step and hand the job back.
    await Promise.allSettled([...this.inFlight.values()].map((j) => j.work));
  }

  /** Claims jobs while a slot is free, each of a function not already running here. */
  private async fillSlots(): Promise<void> {
    while (this.inFlight.size < this.concurrency && !this.isStopping) {
      const busy = new Set([...this.inFlight.values()].map((j) => j.functionId));
      const job = await claimNextJob(this.db, {
        functionIds: [...this.functions.keys()].filter((id) => !busy.has(id)),
        workerId: this.workerId,
        now: this.now(),
        lockedUntil: this.leaseUntil(),
      });
      if (!job) return;
      const fn = this.functions.get(job.functionId);
      if (!fn) return; // unreachable: the claim only selects known function ids
      const work = this.runJob(fn, job)
        .catch((error) => {
          // A database error mid-job: leave the lease to expire so the job resumes, and report.
          this.log.error(`job ${job.id} (${fn.id}) was interrupted by an error and will resume`, error);
        })
        .finally(() => {
          this.inFlight.delete(job.id);
          this.wake();
        });
      this.inFlight.set(job.id, { functionId: fn.id, work });
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.hasPendingWake || this.isStopping) {
      this.hasPendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = null;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private leaseUntil(): Date {
    return new Date(this.now().getTime() + this.leaseMs);
  }

  /** Claims and works on one job; false when none is due. */
  private async runNextJob(): Promise<boolean> {
    const job = await claimNextJob(this.db, {
      functionIds: [...this.functions.keys()],
      workerId: this.workerId,
      now: this.now(),
      lockedUntil: this.leaseUntil(),
    });
    if (!job) return false;
    const fn = this.functions.get(job.functionId);
    if (!fn) return true; // unreachable: the claim only selects known function ids
    try {
      await this.runJob(fn, job);
    } catch (error) {
      // A database error mid-job: leave the lease to expire so the job resumes, and report.
      this.log.error(`job ${job.id} (${fn.id}) was interrupted by an error and will resume`, error);
      throw error;
    }
    return true;
  }

  private parseData(
    fn: AnyDurableFunction,
    job: JobRow,
  ): { ok: true; data: unknown } | { ok: false; error: Error } {
    try {
      return { ok: true, data: fn.parse(job.event.data) };
    } catch (error) {
      return { ok: false, error: new NonRetriableError(`Invalid event data: ${toError(error).message}`) };
    }
  }

  /** Every line logged while the job runs names the job and its function. */
  private runJob(fn: AnyDurableFunction, job: JobRow): Promise<void> {
    return withLogContext({ jobId: job.id, function: fn.id }, () => this.runJobInScope(fn, job));
  }

  private async runJobInScope(fn: AnyDurableFunction, job: JobRow): Promise<void> {
    const parsed = this.parseData(fn, job);
    const data = parsed.ok ? parsed.data : job.event.data;

    if (job.status === "failed" || job.status === "cancelled") {
      const error =
        job.status === "cancelled"
          ? new JobCancelledError(job.error ?? "Cancelled")
          : new Error(job.error ?? "Job failed");
      if (job.status === "cancelled")
        observeJobRun({ functionId: fn.id, outcome: "cancelled", queuedAt: job.createdAt });
      return this.finalize(fn, job.id, data, error, job.attempts);
    }
    if (!parsed.ok) return this.fail(fn, job.id, data, parsed.error);

    let steps: DurableStep<unknown>[];
    try {
      steps = fn.steps(data);
      const ids = new Set(steps.map((s) => s.id));
      if (ids.size !== steps.length) throw new NonRetriableError(`${fn.id} has two steps with the same id`);
    } catch (error) {
      return this.fail(fn, job.id, data, new NonRetriableError(toError(error).message));
    }

    const results: Record<string, Json> = {};
    for (const [id, result] of await loadFinishedSteps(this.db, job.id)) results[id] = deepFreeze(result);
    let attemptsSoFar = job.attempts;

    for (const step of steps) {
      if (Object.hasOwn(results, step.id)) continue;
      if (this.isKilled) return;
      if (this.isStopping) {
        await releaseJob(this.db, { jobId: job.id, workerId: this.workerId });
        return;
      }
      const attempt = attemptsSoFar + 1;
      if (attempt > fn.maxAttempts) {
        // Only reachable when earlier attempts died with their worker (crash, kill, lost lease).
        return this.fail(
          fn,
          job.id,
          data,
          new Error(`Step "${step.id}" was interrupted ${attemptsSoFar} times without finishing`),
        );
      }
      const ownership = await startAttempt(this.db, {
        jobId: job.id,
        workerId: this.workerId,
        attempt,
        lockedUntil: this.leaseUntil(),
      });
      if (ownership === "lost") return;
      if (ownership === "cancelled") return this.finalize(fn, job.id, data, new JobCancelledError(), 0);

      const stepStarted = performance.now();
      const outcome = await this.runStep(step, {
        data,
        results: Object.freeze({ ...results }),
        jobId: job.id,
        attempt,
        db: this.db,
      });
      const seconds = (performance.now() - stepStarted) / 1000;
      observeJobStep({ functionId: fn.id, step: step.id, outcome: outcome.kind, seconds });
      if (outcome.kind === "killed" || outcome.kind === "lost" || this.isKilled) return;

      if (outcome.kind === "ok") {
        const recorded = await recordStep(this.db, {
          jobId: job.id,
          workerId: this.workerId,
          stepId: step.id,
          result: outcome.result,
          durationMs: outcome.durationMs,
          now: this.now(),
        });
        if (!recorded.isStillOwned) return;
        results[step.id] = deepFreeze(recorded.stored);
        attemptsSoFar = 0;
        continue;
      }

      const error = outcome.error;
      if (isNonRetriable(error) || attempt >= fn.maxAttempts) {
        const reason = isNonRetriable(error) ? "" : ` after ${attempt} attempt${attempt === 1 ? "" : "s"}`;
        return this.fail(fn, job.id, data, error, `Step "${step.id}" failed${reason}: ${errorText(error)}`);
      }
      const delayMs = this.backoffMs(attempt);
      const retry = await scheduleRetry(this.db, {
        jobId: job.id,
        workerId: this.workerId,
        runAfter: new Date(this.now().getTime() + delayMs),
        error: `Step "${step.id}" attempt ${attempt} of ${fn.maxAttempts} failed: ${errorText(error)}`,
      });
      if (retry === "cancelled") return this.finalize(fn, job.id, data, new JobCancelledError(), 0);
      this.log.warn(
        `job ${job.id}: step "${step.id}" attempt ${attempt}/${fn.maxAttempts} failed (${errorText(error)}); retrying in ${delayMs} ms`,
      );
      return;
    }

    if (await markSucceeded(this.db, { jobId: job.id, workerId: this.workerId, now: this.now() })) {
      return observeJobRun({ functionId: fn.id, outcome: "succeeded", queuedAt: job.createdAt });
    }
    this.log.warn(`job ${job.id} finished its steps after losing its lease; another worker owns it now`);
  }

  private async runStep(
    step: DurableStep<unknown>,
    ctx: Parameters<DurableStep<unknown>["run"]>[0],
  ): Promise<StepOutcome> {
    const started = performance.now();
    let isLost = false;
    let timeout: NodeJS.Timeout | undefined;
    let stopWaiting = () => {};
    const renewal = setInterval(
      () => {
        renewLease(this.db, { jobId: ctx.jobId, workerId: this.workerId, lockedUntil: this.leaseUntil() })
          .then((owned) => {
            if (!owned) isLost = true;
          })
          .catch((e) => this.log.error(`could not renew the lease of job ${ctx.jobId}`, e));
      },
      Math.max(10, Math.floor(this.leaseMs / 3)),
    );
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timeout = setTimeout(
          () => reject(new Error(`timed out after ${Math.round(this.stepTimeoutMs / 1000)} s`)),
          this.stepTimeoutMs,
        );
      });
      const killed = new Promise<"killed">((resolve) => {
        stopWaiting = () => resolve("killed");
        this.killWaiters.add(stopWaiting);
      });
      const value = await Promise.race([Promise.resolve().then(() => step.run(ctx)), timedOut, killed]);
      if (value === "killed" && this.isKilled) return { kind: "killed" };
      if (isLost) return { kind: "lost" };
      return { kind: "ok", result: toStepResult(value, step.id), durationMs: performance.now() - started };
    } catch (error) {
      if (this.isKilled) return { kind: "killed" };
      if (isLost) return { kind: "lost" };
      return { kind: "failed", error: toError(error) };
    } finally {
      clearInterval(renewal);
      clearTimeout(timeout);
      this.killWaiters.delete(stopWaiting);
    }
  }

  /**
   * Fails the job and runs onFailure with the error as thrown (its message may be meant for people);
   * `jobs.error` gets `description`, which also names the step.
   */
  private async fail(
    fn: AnyDurableFunction,
    jobId: string,
    data: unknown,
    error: Error,
    description = errorText(error),
  ): Promise<void> {
    const isMarked = await markFailed(this.db, { jobId, workerId: this.workerId, error: description });
    if (!isMarked) {
      // Cancelled meanwhile (then onFailure learns it was cancelled) or taken over by another worker.
      if ((await whyNotOwned(this.db, jobId, this.workerId)) !== "cancelled") return;
      error = new JobCancelledError();
    }
    this.log.warn(
      `job ${jobId} (${fn.id}) ${isJobCancelled(error) ? "cancelled" : "failed"}: ${description}`,
    );
    observeJobRun({ functionId: fn.id, outcome: isJobCancelled(error) ? "cancelled" : "failed" });
    return this.finalize(fn, jobId, data, error, 0);
  }

  /** Runs onFailure (retrying it with backoff if it throws), then closes the job. */
  private async finalize(
    fn: AnyDurableFunction,
    jobId: string,
    data: unknown,
    error: Error,
    previousTries: number,
  ): Promise<void> {
    if (fn.onFailure) {
      try {
        await fn.onFailure({ data, error, db: this.db, jobId });
      } catch (hookError) {
        const tries = previousTries + 1;
        if (tries < fn.maxAttempts) {
          this.log.error(`onFailure of job ${jobId} (${fn.id}) failed (try ${tries}); retrying`, hookError);
          await scheduleFinalizeRetry(this.db, {
            jobId,
            workerId: this.workerId,
            attempts: tries,
            runAfter: new Date(this.now().getTime() + this.backoffMs(tries)),
          });
          return;
        }
        this.log.error(`onFailure of job ${jobId} (${fn.id}) failed ${tries} times; giving up`, hookError);
        await markFinished(this.db, {
          jobId,
          workerId: this.workerId,
          now: this.now(),
          errorSuffix: ` (onFailure failed: ${errorText(toError(hookError))})`,
        });
        return;
      }
    }
    await markFinished(this.db, { jobId, workerId: this.workerId, now: this.now() });
  }
}
