/**
 * The in-process publisher behind Server-Sent Events: a map of channel → subscribers. Kept on
 * globalThis because the embedded job runner publishes from the instrumentation bundle while the
 * SSE route subscribes from the app bundle; a module-level map would exist once per bundle and the
 * two would never meet. Works within one server process only, which is exactly the embedded mode
 * (several processes or Lambdas need Pusher).
 */

import { processWide } from "../process-wide";
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

export class InProcessPublisher implements RealtimePublisher {
  readonly kind = "sse" as const;
  constructor(private readonly hub: InProcessHub = getInProcessHub()) {}

  async publish(channel: string, event: string, data: unknown): Promise<void> {
    channelNameSchema.parse(channel);
    this.hub.publish({ channel, event, data, sentAt: Date.now() });
  }
}
