/**
 * The realtime adapter's entry point for producers:
 *
 *   await getPublisher().publish(channels.trainingRun(run.id), "progress", { step, percent });
 *
 * Pusher when PUSHER_APP_ID, PUSHER_KEY and PUSHER_SECRET are set, else the in-process publisher
 * whose messages app/api/realtime streams as Server-Sent Events.
 */
import type Pusher from "pusher";
import { serverEnv, usesPusher } from "../env";
import { InProcessPublisher } from "./in-process";
import { createPusherClient, PusherPublisher } from "./pusher";
import type { RealtimeClientConfig, RealtimePublisher } from "./types";

export { getInProcessHub, InProcessHub, InProcessPublisher } from "./in-process";
export {
  channelNameSchema,
  channels,
  type RealtimeClientConfig,
  type RealtimeMessage,
  type RealtimePublisher,
} from "./types";

const store = globalThis as typeof globalThis & {
  __churnguardPublisher?: RealtimePublisher;
  __churnguardPusher?: Pusher;
};

/** The server-side Pusher client when configured, else null (one per process). */
export function getPusherClient(): Pusher | null {
  if (!usesPusher()) return null;
  store.__churnguardPusher ??= createPusherClient();
  return store.__churnguardPusher;
}

export function getPublisher(): RealtimePublisher {
  if (!store.__churnguardPublisher) {
    const pusher = getPusherClient();
    store.__churnguardPublisher = pusher ? new PusherPublisher(pusher) : new InProcessPublisher();
  }
  return store.__churnguardPublisher;
}

/** For tests that switch configuration. */
export function resetPublisher(): void {
  store.__churnguardPublisher = undefined;
  store.__churnguardPusher = undefined;
}

/** What a browser needs to subscribe (safe to send: the Pusher key is public, the secret is not here). */
export function realtimeClientConfig(): RealtimeClientConfig {
  if (!usesPusher()) return { kind: "sse", endpoint: "/api/realtime" };
  const env = serverEnv();
  return {
    kind: "pusher",
    key: env.PUSHER_KEY ?? "",
    cluster: env.PUSHER_CLUSTER ?? (env.PUSHER_HOST ? "" : "mt1"),
    ...(env.PUSHER_HOST ? { wsHost: env.PUSHER_HOST } : {}),
    ...(env.PUSHER_PORT ? { wsPort: env.PUSHER_PORT } : {}),
    forceTLS: env.PUSHER_USE_TLS,
    authEndpoint: "/api/realtime/auth",
  };
}
