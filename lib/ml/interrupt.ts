/**
 * Cooperative interruption of long computations: cross-validation, fitting, explanations. The
 * library reads no clock and holds no I/O, so the caller installs a check for the duration of one
 * synchronous computation (withInterruptCheck); long loops call checkInterrupt() between units of
 * work (a fold, a tree, a boosting round, a Newton iteration, a block of rows) and the check stops
 * the computation by throwing (a cancelled run, a time budget spent). Like an AbortSignal, but
 * synchronous: a worker thread busy in a fit cannot receive a message, so the check reads shared
 * memory or the clock instead.
 *
 * The check is ambient (module state) rather than an option of every estimator because it cuts
 * across all of them and their callers; it is safe because a computation is synchronous: nothing
 * else runs on the thread between withInterruptCheck's install and its restore.
 */

type InterruptCheck = () => void;

let current: InterruptCheck | null = null;

/** Throws when the computation in progress should stop; does nothing when no check is installed. */
export function checkInterrupt(): void {
  if (current !== null) current();
}

/** Runs `compute` with `check` installed (restoring the previous check afterwards, even on error). */
export function withInterruptCheck<T>(check: InterruptCheck, compute: () => T): T {
  const previous = current;
  current = check;
  try {
    return compute();
  } finally {
    current = previous;
  }
}
