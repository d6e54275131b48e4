import { getDb } from "@/server/db/client";
import { logger } from "@/server/log";
import { sendEvent, startEmbeddedRunner, stopEmbeddedRunner } from "./dispatch";
import { RETRAINING_TICK_EVENT } from "./functions/retraining-scheduler";

const STOP_TIMEOUT_MS = 10_000;

/** Starts the in-process job runner (a no-op under Inngest) and stops it cleanly on shutdown. */
export async function startJobRunner(): Promise<void> {
  const runner = await startEmbeddedRunner();
  process.once("SIGTERM", () => void stopJobRunner());
  if (runner) {
    // Retraining slots missed while the server was down run once now, not at the first cron tick.
    try {
      await sendEvent(await getDb(), RETRAINING_TICK_EVENT, {});
    } catch (error) {
      logger("jobs").error({ err: error }, "could not check for missed retraining runs");
    }
  }
}

/** Lets a running step finish (up to 10 s) and stops polling; safe to call more than once. */
export function stopJobRunner(): Promise<void> {
  return stopEmbeddedRunner({ timeoutMs: STOP_TIMEOUT_MS });
}
