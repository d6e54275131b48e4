/**
 * Stopping a computation that runs on a worker thread (or in-process): a cancelled run, or a step
 * past its time budget. The worker is busy in a synchronous fit and cannot read messages, so the
 * pool hands each task a flag in shared memory and a budget; lib/ml's checkInterrupt() calls the
 * check below between units of work (a tree, a round, a fold, a block of rows). Errors cross the
 * worker boundary as name + message, so callers tell them apart by name.
 */

export class ComputeCancelledError extends Error {
  constructor(message = "The computation was stopped: its run was cancelled") {
    super(message);
    this.name = "ComputeCancelledError";
  }
}

export class ComputeBudgetExceededError extends Error {
  constructor(readonly budgetMs: number) {
    super(`The computation took longer than ${formatDuration(budgetMs)} and was stopped`);
    this.name = "ComputeBudgetExceededError";
  }
}

/** The tag of a training run's computations (ComputePool.interrupt stops them together). */
export const trainingRunTag = (runId: number): string => `run-${runId}`;

export const isComputeCancelled = (error: unknown): boolean =>
  error instanceof Error && error.name === "ComputeCancelledError";

export const isComputeBudgetExceeded = (error: unknown): boolean =>
  error instanceof Error && error.name === "ComputeBudgetExceededError";

/** What a task carries to be stoppable: a shared flag (set to 1 = stop) and a time budget. */
export interface InterruptSpec {
  flag?: Int32Array;
  /** Milliseconds from the start of the computation; absent = no limit. */
  budgetMs?: number;
}

/** A flag in shared memory: the main thread sets it while the worker's thread is busy. */
export function createInterruptFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

export function raiseInterruptFlag(flag: Int32Array): void {
  Atomics.store(flag, 0, 1);
}

/** The check lib/ml calls between units of work; the budget counts from this call. */
export function interruptCheck(spec: InterruptSpec | undefined): () => void {
  const flag = spec?.flag;
  const budgetMs = spec?.budgetMs;
  const deadline = budgetMs !== undefined ? Date.now() + budgetMs : Number.POSITIVE_INFINITY;
  return () => {
    if (flag && Atomics.load(flag, 0) !== 0) throw new ComputeCancelledError();
    if (budgetMs !== undefined && Date.now() > deadline) throw new ComputeBudgetExceededError(budgetMs);
  };
}

/** "15 minutes", "1 minute", "40 seconds". */
export function formatDuration(ms: number): string {
  if (ms >= 60_000) {
    const minutes = Math.round(ms / 60_000);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  const seconds = Math.max(1, Math.round(ms / 1000));
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}
