import { channels, getPublisher } from "../../realtime";
import type { TRAINING_EVENTS } from "./events";

type TrainingEventName = (typeof TRAINING_EVENTS)[keyof typeof TRAINING_EVENTS];

/**
 * Publishes on the run's channel. Progress is best effort: a realtime outage must not fail a
 * training step (the page reloads the run's state from the database), so errors are logged only.
 */
export async function publishRunEvent(runId: number, event: TrainingEventName, data: object): Promise<void> {
  try {
    await getPublisher().publish(channels.trainingRun(runId), event, data);
  } catch (error) {
    console.warn(`[training] could not publish "${event}" for run ${runId}`, error);
  }
}
