import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { signInThrottle } from "../db/schema";

export interface ThrottlePolicy {
  /** Failed attempts per account within the window before it is locked. */
  maxFailures: number;
  lockoutMinutes: number;
}

/** Many people can share an office IP, so the address gets a larger budget than one account. */
const IP_BUDGET_MULTIPLIER = 4;

function keysFor(email: string, ip: string | null): { key: string; limit: (p: ThrottlePolicy) => number }[] {
  const keys = [{ key: `email:${email}`, limit: (p: ThrottlePolicy) => p.maxFailures }];
  if (ip) keys.push({ key: `ip:${ip}`, limit: (p) => p.maxFailures * IP_BUDGET_MULTIPLIER });
  return keys;
}

/** Minutes until the account or address may try again, or 0 when it is not locked. */
export async function lockedMinutesRemaining(
  db: Database,
  email: string,
  ip: string | null,
): Promise<number> {
  const keys = keysFor(email, ip).map((k) => k.key);
  const rows = await db.select().from(signInThrottle).where(inArray(signInThrottle.key, keys));
  const now = Date.now();
  let remainingMs = 0;
  for (const row of rows) {
    if (row.lockedUntil && row.lockedUntil.getTime() > now) {
      remainingMs = Math.max(remainingMs, row.lockedUntil.getTime() - now);
    }
  }
  return remainingMs === 0 ? 0 : Math.ceil(remainingMs / 60_000);
}

export async function recordFailedSignIn(
  db: Database,
  email: string,
  ip: string | null,
  policy: ThrottlePolicy,
): Promise<void> {
  const windowMs = policy.lockoutMinutes * 60_000;
  for (const { key, limit } of keysFor(email, ip)) {
    const max = limit(policy);
    // One statement per key: the counter restarts when the window has passed, and the lock is
    // set by the same update that reaches the limit, so concurrent failures cannot both slip by.
    const windowExpired = sql`${signInThrottle.windowStartedAt} < now() - make_interval(secs => ${windowMs / 1000})`;
    const failures = sql`case when ${windowExpired} then 1 else ${signInThrottle.failures} + 1 end`;
    await db
      .insert(signInThrottle)
      .values({ key, failures: 1, lockedUntil: max <= 1 ? new Date(Date.now() + windowMs) : null })
      .onConflictDoUpdate({
        target: signInThrottle.key,
        set: {
          failures,
          windowStartedAt: sql`case when ${windowExpired} then now() else ${signInThrottle.windowStartedAt} end`,
          lockedUntil: sql`case when ${failures} >= ${max} then now() + make_interval(secs => ${windowMs / 1000}) else ${signInThrottle.lockedUntil} end`,
        },
      });
  }
}

/** A successful sign-in clears the account's counter (the address keeps its own). */
export async function clearFailedSignIns(db: Database, email: string): Promise<void> {
  await db.delete(signInThrottle).where(eq(signInThrottle.key, `email:${email}`));
}
