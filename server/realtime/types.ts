/**
 * Realtime adapter: Pusher channels when PUSHER_* is configured, otherwise Server-Sent Events
 * from app/api/realtime fed by an in-process publisher. Producers only ever call `publish`
 * (getPublisher() in ./index.ts); browsers use the `useChannel` hook (app/_realtime/use-channel.ts).
 */
import { z } from "zod";

export interface RealtimeMessage {
  channel: string;
  event: string;
  data: unknown;
  /** Milliseconds since epoch when published (lets clients measure delivery latency). */
  sentAt: number;
}

export interface RealtimePublisher {
  readonly kind: "pusher" | "sse";
  /**
   * Best effort: never throws for a delivery problem (the state it announces is already in the
   * database; a realtime outage must not fail a training step). Throws only for a channel name
   * that does not match `channelNameSchema`, which is a programming error.
   */
  publish(channel: string, event: string, data: unknown): Promise<void>;
}

/** Channel names are fixed patterns with numeric ids, never user text. */
export const channels = {
  trainingRun: (runId: number) => `training-run-${runId}`,
  dataset: (datasetId: number) => `dataset-${datasetId}`,
};

/** Every name `channels` can produce, and nothing else (ids are positive integers). */
export const channelNameSchema = z
  .string()
  .regex(
    /^(training-run|dataset)-[1-9][0-9]{0,15}$/,
    "Unknown channel: expected training-run-<id> or dataset-<id>",
  );

/** Pusher needs the "private-" prefix for channels that require authorisation (ours all do). */
export const PUSHER_CHANNEL_PREFIX = "private-";

/** What the browser needs to subscribe: never the Pusher secret. */
export type RealtimeClientConfig =
  | { kind: "sse"; endpoint: string }
  | {
      kind: "pusher";
      key: string;
      cluster: string;
      /** Self-hosted (soketi): host, port and TLS of the websocket server. */
      wsHost?: string;
      wsPort?: number;
      forceTLS: boolean;
      authEndpoint: string;
    };
