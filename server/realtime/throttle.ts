/**
 * Progress events at most once per interval per channel, never awaited by the caller.
 *
 * Scoring published one awaited Pusher call per 500 rows; a 100k-row file meant 200 HTTP round
 * trips inside the step and as many messages billed. Progress is best effort (pages reload state
 * from the database), so the first event of a window goes out at once, later ones replace each
 * other, and the latest goes out when the window ends (a trailing send, so the last percentage is
 * not lost). A terminal event (finished, failed, succeeded) clears what is pending for its channel,
 * so a stale "running 80 %" never arrives after "succeeded".
 */

export interface ThrottleClock {
  now(): number;
  /** Runs `fn` after `ms`; must not keep the process alive (timers are unref'd). */
  schedule(fn: () => void, ms: number): void;
}

const realClock: ThrottleClock = {
  now: () => Date.now(),
  schedule(fn, ms) {
    setTimeout(fn, ms).unref?.();
  },
};

type Send = () => Promise<void>;

export class ChannelThrottle {
  private readonly lastSentAt = new Map<string, number>();
  private readonly pending = new Map<string, Send>();

  constructor(
    private readonly intervalMs = 1000,
    private readonly clock: ThrottleClock = realClock,
    private readonly onError: (error: unknown) => void = (error) =>
      console.warn("[realtime] progress event not delivered", error),
  ) {}

  /** Sends now when the channel's last send is at least one interval old, else keeps the latest. */
  offer(channel: string, send: Send): void {
    const now = this.clock.now();
    const last = this.lastSentAt.get(channel);
    if (last === undefined || now - last >= this.intervalMs) {
      this.fire(channel, send, now);
      return;
    }
    const isScheduled = this.pending.has(channel);
    this.pending.set(channel, send);
    if (!isScheduled) {
      this.clock.schedule(
        () => {
          const latest = this.pending.get(channel);
          this.pending.delete(channel);
          if (latest) this.fire(channel, latest, this.clock.now());
        },
        last + this.intervalMs - now,
      );
    }
  }

  /** Before a terminal event: drops the channel's pending progress and forgets its window. */
  clear(channel: string): void {
    this.pending.delete(channel);
    this.lastSentAt.delete(channel);
  }

  /** Channels with a send waiting (tests, and a bound on memory: entries leave when sent or cleared). */
  get pendingCount(): number {
    return this.pending.size;
  }

  private fire(channel: string, send: Send, now: number): void {
    this.lastSentAt.set(channel, now);
    send().catch(this.onError);
  }
}

const store = globalThis as typeof globalThis & { __churnguardProgressThrottle?: ChannelThrottle };

/** One throttle per process (Next.js bundles are separate module graphs). */
export function progressThrottle(): ChannelThrottle {
  store.__churnguardProgressThrottle ??= new ChannelThrottle();
  return store.__churnguardProgressThrottle;
}
