/** The shared (database) rate limit, as two server instances would use it, on each database. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { apiRateLimits } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { createUser } from "../../testing/factories";
import { createApiKey } from "../api-keys";
import { SlidingWindowRateLimiter } from "./rate-limit";
import { DatabaseRateLimiter, pruneRateLimitCounts } from "./shared-rate-limit";

const MINUTE = 60_000;

describe.each(testDatabaseKinds())("DatabaseRateLimiter on %s", (kind) => {
  let handle: DatabaseHandle;
  let keyIds: number[];

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    const { user } = await createUser(handle.db, "admin");
    const actor = { id: user.id, label: user.email };
    keyIds = [];
    for (const name of ["A", "B", "C"])
      keyIds.push((await createApiKey(handle.db, actor, { name, scopes: ["predict"] })).id);
  }, 60_000);
  afterAll(async () => handle?.close());

  it("shares one key's budget between instances and refuses past it with a Retry-After that works", async () => {
    const [key] = keyIds;
    // Two Lambdas, each with its own limiter object, one database.
    const first = new DatabaseRateLimiter(handle.db, 3, MINUTE);
    const second = new DatabaseRateLimiter(handle.db, 3, MINUTE);
    const start = 500 * MINUTE + 1_000;
    const decisions = [
      await first.take(key, start),
      await second.take(key, start + 1),
      await first.take(key, start + 2),
    ];
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
    ]);
    const refused = await second.take(key, start + 3);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 3 });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    // Refused calls are not counted: waiting as told is enough, however often the client asked.
    for (let i = 0; i < 5; i++) expect((await first.take(key, start + 4 + i)).allowed).toBe(false);
    const after = start + 3 + refused.retryAfterSeconds * 1000;
    expect((await first.take(key, after)).allowed).toBe(true);
  });

  it("decides exactly as the in-memory limiter for the same calls", async () => {
    const key = keyIds[1];
    const shared = new DatabaseRateLimiter(handle.db, 5, MINUTE);
    const memory = new SlidingWindowRateLimiter(5, MINUTE);
    const start = 700 * MINUTE + 40_000;
    const times = [0, 1, 2, 3, 4, 5, 10_000, 25_000, 30_000, 31_000, 60_000, 61_000, 62_000, 90_000];
    for (const t of times)
      expect(await shared.take(key, start + t), `t=${t}`).toEqual(memory.take(key, start + t));
  });

  it("counts concurrent calls atomically", async () => {
    const key = keyIds[2];
    const limiter = new DatabaseRateLimiter(handle.db, 10, MINUTE);
    const now = 900 * MINUTE + 5_000;
    const decisions = await Promise.all(Array.from({ length: 14 }, () => limiter.take(key, now)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });

  it("prunes counts older than the previous minute", async () => {
    // Its own counts (tests run in any order): one two hours old, one current.
    const key = keyIds[0];
    const now = 1_500 * MINUTE + 5_000;
    const limiter = new DatabaseRateLimiter(handle.db, 10, MINUTE);
    await limiter.take(key, now - 120 * MINUTE);
    await limiter.take(key, now);
    expect(
      (await handle.db.select().from(apiRateLimits)).some((r) => r.windowStart.getTime() < now - 2 * MINUTE),
    ).toBe(true);
    await pruneRateLimitCounts(handle.db, now, MINUTE);
    const left = await handle.db.select().from(apiRateLimits);
    expect(left.map((r) => r.windowStart.getTime()).every((t) => t >= now - 2 * MINUTE)).toBe(true);
    expect(left.length).toBeGreaterThan(0);
  });
});
