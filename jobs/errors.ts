import { NonRetriableError } from "./types";

/**
 * The error `onFailure` receives when a job was cancelled (by `cancelJob`, or by Inngest's cancellation).
 * A NonRetriableError, so a step may also throw it to stop its own job (e.g. the run it works on was
 * cancelled in the database) and get the same treatment.
 */
export class JobCancelledError extends NonRetriableError {
  constructor(message = "Cancelled") {
    super(message);
    this.name = "JobCancelledError";
  }
}

/** True when a job ended because it was cancelled rather than because a step failed. */
export function isJobCancelled(error: unknown): boolean {
  return error instanceof JobCancelledError || (error instanceof Error && error.name === "JobCancelledError");
}

/** True for errors that must not be retried (ours, or anything named like one after serialisation). */
export function isNonRetriable(error: unknown): boolean {
  return (
    error instanceof NonRetriableError ||
    (error instanceof Error && (error.name === "NonRetriableError" || error.name === "JobCancelledError"))
  );
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
