/**
 * The in-process publisher behind Server-Sent Events: a map of channel → subscribers. Kept on
 * globalThis because the embedded job runner publishes from the instrumentation bundle while the
 * SSE route subscribes from the app bundle; a module-level map would exist once per bundle and the
 * two would never meet. With PostgreSQL, every message is also relayed to the other server
 * processes over LISTEN/NOTIFY (pg-bus.ts), whose hubs deliver it to their own subscribers; Lambda
 * needs Pusher.
 */

import { processWide } from "../process-wide";
import type { PgBus } from "./pg-bus";
import { onProcessBus, processBus, processBusReady } from "./pg-bus";
import { channelNameSchema, type RealtimeMessage, type RealtimePublisher } from "./types";

/** `payload` is the message already serialised once, so N subscribers cost one JSON.stringify. */
export type RealtimeListener = (message: RealtimeMessage, payload: string) => void;

export class InProcessHub {
  private readonly subscribers = new Map<string, Set<RealtimeListener>>();

  subscribe(channel: string, listener: RealtimeListener): () => void {
    let set = this.subscribers.get(channel);
    if (!set) {
      set = new Set();
      this.subscribers.set(channel, set);
    }
    set.add(listener);
    return () => {
      const current = this.subscribers.get(channel);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.subscribers.delete(channel);
    };
  }

  /** Delivers synchronously to every subscriber of the channel; returns how many got it. */
  publish(message: RealtimeMessage): number {
    const set = this.subscribers.get(message.channel);
    if (!set || set.size === 0) return 0;
    const payload = JSON.stringify(message);
    let delivered = 0;
    for (const listener of [...set]) {
      try {
        listener(message, payload);
        delivered += 1;
      } catch (error) {
        console.error(`[churnguard:realtime] a subscriber of ${message.channel} failed`, error);
      }
    }
    return delivered;
  }

  subscriberCount(channel?: string): number {
    if (channel !== undefined) return this.subscribers.get(channel)?.size ?? 0;
    let total = 0;
    for (const set of this.subscribers.values()) total += set.size;
    return total;
  }
}

export function getInProcessHub(): InProcessHub {
  return processWide("realtimeHub", () => new InProcessHub());
}

const REALTIME_TOPIC = "realtime";

/** Delivers the other processes' realtime messages to `hub`'s subscribers (see pg-bus.ts). */
export function relayBusToHub(bus: PgBus, hub: InProcessHub): () => void {
  return bus.on(REALTIME_TOPIC, (data) => {
    const message = data as RealtimeMessage;
    if (channelNameSchema.safeParse(message?.channel).success) hub.publish(message);
  });
}

/** Makes this process's hub receive what other processes publish (no-op without a bus). */
export function joinRealtimeBus(): void {
  onProcessBus("realtime.hub", (bus) => relayBusToHub(bus, getInProcessHub()));
  processBus();
}

/** Where a published message goes besides the local hub: the process bus, when there is one. */
export type RealtimeRelay = (message: RealtimeMessage) => Promise<void>;

const relayToProcessBus: RealtimeRelay = async (message) => {
  joinRealtimeBus();
  const bus = await processBusReady();
  // Not awaited: the bus's one connection keeps the order, and a job step need not wait for it.
  if (bus) void bus.send(REALTIME_TOPIC, message);
};

/** A relay over a given bus (tests that play two processes). */
export function busRelay(bus: PgBus): RealtimeRelay {
  return (message) => bus.send(REALTIME_TOPIC, message);
}

export class InProcessPublisher implements RealtimePublisher {
  readonly kind = "sse" as const;
  constructor(
    private readonly hub: InProcessHub = getInProcessHub(),
    private readonly relay: RealtimeRelay = relayToProcessBus,
  ) {}

  async publish(channel: string, event: string, data: unknown): Promise<void> {
    channelNameSchema.parse(channel);
    const message = { channel, event, data, sentAt: Date.now() };
    this.hub.publish(message);
    await this.relay(message);
  }
}
