import { describe, expect, it } from "vitest";
import { SlidingWindowRateLimiter } from "./rate-limit";

const MINUTE = 60_000;

describe("SlidingWindowRateLimiter", () => {
  it("allows the limit, then refuses with a Retry-After that really lets the next call through", () => {
    const limiter = new SlidingWindowRateLimiter(5, MINUTE);
    const start = 10 * MINUTE + 1_000;
    const remaining = Array.from({ length: 5 }, (_, i) => limiter.take("k", start + i).remaining);
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const refused = limiter.take("k", start + 10);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(limiter.take("k", start + 10 + (refused.retryAfterSeconds - 1) * 1000).allowed).toBe(false);
    expect(limiter.take("k", start + 10 + refused.retryAfterSeconds * 1000).allowed).toBe(true);
  });

  it("counts each key separately", () => {
    const limiter = new SlidingWindowRateLimiter(1, MINUTE);
    expect(limiter.take(1, 0).allowed).toBe(true);
    expect(limiter.take(1, 1).allowed).toBe(false);
    expect(limiter.take(2, 2).allowed).toBe(true);
  });

  it("does not allow a double burst across a window boundary", () => {
    const limiter = new SlidingWindowRateLimiter(10, MINUTE);
    const end = MINUTE - 100;
    for (let i = 0; i < 10; i++) expect(limiter.take("k", end).allowed).toBe(true);
    // Just after the boundary the previous window still weighs almost fully.
    expect(limiter.take("k", MINUTE + 100).allowed).toBe(false);
    // Half a window later half of it has decayed.
    let allowed = 0;
    for (let i = 0; i < 10; i++) if (limiter.take("k", MINUTE + MINUTE / 2).allowed) allowed++;
    expect(allowed).toBe(5);
    // Two windows later everything is forgotten.
    for (let i = 0; i < 10; i++) expect(limiter.take("k", 3 * MINUTE + 1).allowed).toBe(true);
  });

  it("reports seconds until the window resets", () => {
    const limiter = new SlidingWindowRateLimiter(3, MINUTE);
    expect(limiter.take("k", 45_000).resetSeconds).toBe(15);
  });
});
