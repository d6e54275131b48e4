/**
 * Per-key rate limit with a sliding window counter (the previous fixed window's count weighted by
 * how much of it still overlaps the last 60 s, plus the current window's count): smooth like a
 * sliding log, O(1) memory per key, and no burst of 2× the limit at a window boundary.
 *
 * SlidingWindowRateLimiter counts in process memory, which is right for the embedded mode and a
 * single server. Several instances (Lambda) would each count separately, so the effective limit
 * would be instances × the limit: there the counts live in the database (shared-rate-limit.ts),
 * with the same decision (decideCall).
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
    const { windowMs } = this;
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
    const decision = decideCall(this.limit, windowMs, state.previous, state.current, now - windowStart);
    if (decision.allowed) state.current += 1;
    return decision;
  }

  /** Forget every key (tests). */
  reset(): void {
    this.states.clear();
  }
}

/**
 * Whether one more call fits, given the calls counted in the previous and the current fixed window
 * before it and the time elapsed in the current one (refused calls are not counted).
 */
export function decideCall(
  limit: number,
  windowMs: number,
  previous: number,
  current: number,
  elapsed: number,
): RateLimitDecision {
  const estimate = previous * (1 - elapsed / windowMs) + current;
  const resetSeconds = Math.max(1, Math.ceil((windowMs - elapsed) / 1000));
  if (estimate + 1 > limit) {
    const waitMs = waitUntilAllowedMs(limit, windowMs, previous, current, elapsed);
    return {
      allowed: false,
      limit,
      remaining: 0,
      resetSeconds,
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
    };
  }
  return {
    allowed: true,
    limit,
    remaining: Math.max(0, Math.floor(limit - estimate - 1)),
    resetSeconds,
    retryAfterSeconds: 0,
  };
}

/** How long until estimate + 1 ≤ limit, assuming no further calls. */
function waitUntilAllowedMs(
  limit: number,
  windowMs: number,
  previous: number,
  current: number,
  elapsed: number,
): number {
  const room = limit - 1 - current;
  // Still in this window, if the previous window's weight can fall far enough.
  if (room >= 0 && previous > 0) {
    const t = windowMs * (1 - room / previous) - elapsed;
    if (t <= windowMs - elapsed) return Math.max(0, t);
  }
  // Next window: the current count becomes the decaying previous one.
  const s = current > 0 ? windowMs * (1 - (limit - 1) / current) : 0;
  return windowMs - elapsed + Math.max(0, s);
}
