/**
 * The REST API's rate limit with the counts in the database (table api_rate_limits), for
 * deployments with several server instances (Lambda), where an in-memory counter per instance
 * would let a key make instances × the limit. Same sliding-window decision as the in-memory
 * limiter (rate-limit.ts). Each call counts itself with one UPSERT (atomic, so concurrent calls on
 * different instances each see their own count) while the previous minute's count is read
 * alongside; a refused call takes its count back, so waiting as Retry-After says works.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { apiRateLimits } from "../../db/schema";
import { decideCall, type RateLimitDecision } from "./rate-limit";

export class DatabaseRateLimiter {
  constructor(
    private readonly db: Database,
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  async take(apiKeyId: number, now = Date.now()): Promise<RateLimitDecision> {
    const { db, windowMs } = this;
    const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
    const [[counted], previousRows] = await Promise.all([
      db
        .insert(apiRateLimits)
        .values({ apiKeyId, windowStart, calls: 1 })
        .onConflictDoUpdate({
          target: [apiRateLimits.apiKeyId, apiRateLimits.windowStart],
          set: { calls: sql`${apiRateLimits.calls} + 1` },
        })
        .returning({ calls: apiRateLimits.calls }),
      db
        .select({ calls: apiRateLimits.calls })
        .from(apiRateLimits)
        .where(
          and(
            eq(apiRateLimits.apiKeyId, apiKeyId),
            eq(apiRateLimits.windowStart, new Date(windowStart.getTime() - windowMs)),
          ),
        ),
    ]);
    const previous = previousRows[0]?.calls ?? 0;
    const decision = decideCall(
      this.limit,
      windowMs,
      previous,
      counted.calls - 1,
      now - windowStart.getTime(),
    );
    if (!decision.allowed) {
      await db
        .update(apiRateLimits)
        .set({ calls: sql`${apiRateLimits.calls} - 1` })
        .where(and(eq(apiRateLimits.apiKeyId, apiKeyId), eq(apiRateLimits.windowStart, windowStart)));
    }
    return decision;
  }
}

/** Deletes counts older than the previous window (the daily prune job). */
export async function pruneRateLimitCounts(
  db: Database,
  now = Date.now(),
  windowMs = 60_000,
): Promise<number> {
  const cutoff = new Date(Math.floor(now / windowMs) * windowMs - windowMs);
  const deleted = await db
    .delete(apiRateLimits)
    .where(lt(apiRateLimits.windowStart, cutoff))
    .returning({ apiKeyId: apiRateLimits.apiKeyId });
  return deleted.length;
}
