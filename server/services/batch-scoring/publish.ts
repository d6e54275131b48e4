import { channels, getPublisher } from "../../realtime";

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
  try {
    await getPublisher().publish(channels.dataset(datasetId), BATCH_PROGRESS_EVENT, event);
  } catch (error) {
    console.warn(`[batch-scoring] could not publish progress of batch ${event.batchId}`, error);
  }
}
