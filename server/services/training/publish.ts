import { logger } from "../../log";
import { channels, getPublisher } from "../../realtime";
import { progressThrottle } from "../../realtime/throttle";
import type { TRAINING_EVENTS } from "./events";

type TrainingEventName = (typeof TRAINING_EVENTS)[keyof typeof TRAINING_EVENTS];

/**
 * Publishes on the run's channel. Progress is best effort: a realtime outage must not fail a
 * training step (the page reloads the run's state from the database), so errors are logged only.
 */
export async function publishRunEvent(
  runId: number,
  event: TrainingEventName,
  data: object,
  options: { isProgress?: boolean } = {},
): Promise<void> {
  const channel = channels.trainingRun(runId);
  const send = () => getPublisher().publish(channel, event, data);
  // Progress inside a long step: at most one a second, not awaited (server/realtime/throttle.ts).
  if (options.isProgress) {
    progressThrottle().offer(channel, send);
    return;
  }
  progressThrottle().clear(channel);
  try {
    await send();
  } catch (error) {
    logger("training").warn({ err: error, runId }, `could not publish "${event}" for run ${runId}`);
  }
}
