import { startEmbeddedRunner, stopEmbeddedRunner } from "./dispatch";

const STOP_TIMEOUT_MS = 10_000;

/** Starts the in-process job runner (a no-op under Inngest) and stops it cleanly on shutdown. */
export async function startJobRunner(): Promise<void> {
  await startEmbeddedRunner();
  process.once("SIGTERM", () => void stopJobRunner());
}

/** Lets a running step finish (up to 10 s) and stops polling; safe to call more than once. */
export function stopJobRunner(): Promise<void> {
  return stopEmbeddedRunner({ timeoutMs: STOP_TIMEOUT_MS });
}
