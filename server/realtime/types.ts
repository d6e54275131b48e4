/**
 * Realtime adapter: Pusher channels when PUSHER_* is configured, otherwise Server-Sent Events
 * from app/api/realtime fed by an in-process publisher. Producers only ever call `publish`.
 */
export interface RealtimeMessage {
  channel: string;
  event: string;
  data: unknown;
  /** Milliseconds since epoch when published (lets clients measure delivery latency). */
  sentAt: number;
}

export interface RealtimePublisher {
  readonly kind: "pusher" | "sse";
  publish(channel: string, event: string, data: unknown): Promise<void>;
}

/** Channel names are fixed patterns with numeric ids, never user text. */
export const channels = {
  trainingRun: (runId: number) => `training-run-${runId}`,
  dataset: (datasetId: number) => `dataset-${datasetId}`,
};
