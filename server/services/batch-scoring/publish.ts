import { logger } from "../../log";
import { channels, getPublisher } from "../../realtime";
import { progressThrottle } from "../../realtime/throttle";

/** The event the scoring page listens for on the dataset's channel. */
export const BATCH_PROGRESS_EVENT = "batch-progress";

export interface BatchProgressEvent {
  batchId: number;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  rowsScored: number;
  rowCount: number;
  error?: string | null;
}

/**
 * Published on the batch's dataset channel (channels are per run or per dataset; every signed-in
 * user may listen to a dataset's). Best effort: the page also reloads the batch from the database.
 */
export async function publishBatchProgress(datasetId: number, event: BatchProgressEvent): Promise<void> {
  const channel = channels.dataset(datasetId);
  const send = () => getPublisher().publish(channel, BATCH_PROGRESS_EVENT, event);
  // Rows-scored updates: at most one a second, not awaited (server/realtime/throttle.ts).
  if (event.status === "running") {
    progressThrottle().offer(`${channel}:${event.batchId}`, send);
    return;
  }
  progressThrottle().clear(`${channel}:${event.batchId}`);
  try {
    await send();
  } catch (error) {
    logger("batch-scoring").warn({ err: error }, `could not publish progress of batch ${event.batchId}`);
  }
}
