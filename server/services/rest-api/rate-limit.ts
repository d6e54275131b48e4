/**
 * Per-key rate limit with a sliding window counter (the previous fixed window's count weighted by
 * how much of it still overlaps the last 60 s, plus the current window's count): smooth like a
 * sliding log, O(1) memory per key, and no burst of 2× the limit at a window boundary.
 *
 * In-process, which is right for the embedded mode and a single server. Several instances (SST on
 * Lambda, more than one container) each count separately, so the effective limit is instances × the
 * limit; a multi-instance deployment needs the counters in a shared store (a Redis INCR with expiry,
 * or an UPSERT on a PostgreSQL counter row per key and window) behind the same `take` interface.
 */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Calls left in the current window estimate. */
  remaining: number;
  /** Seconds until the current fixed window ends (X-RateLimit-Reset). */
  resetSeconds: number;
  /** When refused: whole seconds to wait before the next call is allowed (Retry-After). */
  retryAfterSeconds: number;
}

interface WindowState {
  windowStart: number;
  previous: number;
  current: number;
}

export class SlidingWindowRateLimiter {
  private readonly states = new Map<string | number, WindowState>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  take(id: string | number, now = Date.now()): RateLimitDecision {
    const { limit, windowMs } = this;
    const windowStart = Math.floor(now / windowMs) * windowMs;
    let state = this.states.get(id);
    if (!state) {
      state = { windowStart, previous: 0, current: 0 };
      this.states.set(id, state);
    } else if (state.windowStart !== windowStart) {
      state.previous = state.windowStart === windowStart - windowMs ? state.current : 0;
      state.current = 0;
      state.windowStart = windowStart;
    }
    const elapsed = now - windowStart;
    const estimate = state.previous * (1 - elapsed / windowMs) + state.current;
    const resetSeconds = Math.max(1, Math.ceil((windowMs - elapsed) / 1000));
    if (estimate + 1 > limit) {
      return {
        allowed: false,
        limit,
        remaining: 0,
        resetSeconds,
        retryAfterSeconds: Math.max(1, Math.ceil(this.waitMs(state, elapsed) / 1000)),
      };
    }
    state.current += 1;
    return {
      allowed: true,
      limit,
      remaining: Math.max(0, Math.floor(limit - estimate - 1)),
      resetSeconds,
      retryAfterSeconds: 0,
    };
  }

  /** How long until estimate + 1 ≤ limit, assuming no further calls. */
  private waitMs(state: WindowState, elapsed: number): number {
    const { limit, windowMs } = this;
    const room = limit - 1 - state.current;
    // Still in this window, if the previous window's weight can fall far enough.
    if (room >= 0 && state.previous > 0) {
      const t = windowMs * (1 - room / state.previous) - elapsed;
      if (t <= windowMs - elapsed) return Math.max(0, t);
    }
    // Next window: the current count becomes the decaying previous one.
    const s = state.current > 0 ? windowMs * (1 - (limit - 1) / state.current) : 0;
    return windowMs - elapsed + Math.max(0, s);
  }

  /** Forget every key (tests). */
  reset(): void {
    this.states.clear();
  }
}
