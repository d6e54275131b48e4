/**
 * Sign-in lockout, per account and per client address, counted in the database so that every
 * server process (and every Lambda) shares one budget.
 *
 * An attempt takes its place in the budget BEFORE the password is verified, in one UPSERT ...
 * RETURNING per key: the row lock that statement takes orders concurrent attempts, so 60
 * simultaneous guesses for one account get the numbers 1..60 and only the first `maxFailures` are
 * ever verified. (Checking "is it locked?" first and counting the failure afterwards let all 60
 * through: each read the counter before any failure was written.) A success gives the place back.
 */
import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { signInThrottle } from "../db/schema";

export interface ThrottlePolicy {
  /** Attempts per account within the window that may fail before it is locked. */
  maxFailures: number;
  lockoutMinutes: number;
}

/** Many people can share an office IP, so the address gets a larger budget than one account. */
const IP_BUDGET_MULTIPLIER = 4;

interface ThrottleKey {
  key: string;
  limit: number;
}

function keysFor(email: string, ip: string | null, policy: ThrottlePolicy): ThrottleKey[] {
  const keys = [{ key: `email:${email}`, limit: policy.maxFailures }];
  if (ip) keys.push({ key: `ip:${ip}`, limit: policy.maxFailures * IP_BUDGET_MULTIPLIER });
  return keys;
}

export type AttemptReservation =
  | { admitted: true; release: (outcome: "succeeded") => Promise<void> }
  | { admitted: false; retryInMinutes: number };

/**
 * Counts one sign-in attempt against the account and the address, atomically, and says whether
 * the password may be checked. While a key is locked its counter is left alone, so blocked
 * attempts never extend a lock; the attempt that goes past the budget sets the lock.
 */
export async function reserveSignInAttempt(
  db: Database,
  email: string,
  ip: string | null,
  policy: ThrottlePolicy,
): Promise<AttemptReservation> {
  const windowSeconds = policy.lockoutMinutes * 60;
  const window = sql`make_interval(secs => ${windowSeconds})`;
  const isLocked = sql`${signInThrottle.lockedUntil} > now()`;
  const windowExpired = sql`${signInThrottle.windowStartedAt} < now() - ${window}`;
  const results: { key: ThrottleKey; failures: number; lockedUntil: Date | null }[] = [];
  // One statement per key, always the account first: two attempts that share an address lock
  // the rows in the same order, so they cannot deadlock.
  for (const key of keysFor(email, ip, policy)) {
    const [row] = await db
      .insert(signInThrottle)
      .values({ key: key.key, failures: 1, lockedUntil: null })
      .onConflictDoUpdate({
        target: signInThrottle.key,
        set: {
          failures: sql`case when ${isLocked} then ${signInThrottle.failures}
            when ${windowExpired} then 1 else ${signInThrottle.failures} + 1 end`,
          windowStartedAt: sql`case when ${isLocked} then ${signInThrottle.windowStartedAt}
            when ${windowExpired} then now() else ${signInThrottle.windowStartedAt} end`,
          lockedUntil: sql`case when ${isLocked} then ${signInThrottle.lockedUntil}
            when not ${windowExpired} and ${signInThrottle.failures} + 1 > ${key.limit}
              then now() + ${window}
            else null end`,
        },
      })
      .returning({ failures: signInThrottle.failures, lockedUntil: signInThrottle.lockedUntil });
    results.push({ key, failures: row.failures, lockedUntil: row.lockedUntil });
  }

  const now = Date.now();
  const locked = results.filter((r) => r.lockedUntil && r.lockedUntil.getTime() > now);
  if (locked.length > 0) {
    // A key that admitted this attempt must not pay for it: a person whose office address is
    // locked should not also burn their own account's budget, and the reverse.
    for (const r of results) if (!locked.includes(r)) await giveBack(db, r.key.key);
    const remainingMs = Math.max(...locked.map((r) => (r.lockedUntil as Date).getTime() - now));
    return { admitted: false, retryInMinutes: Math.max(1, Math.ceil(remainingMs / 60_000)) };
  }
  return {
    admitted: true,
    // A failure keeps its place in the budget (it was counted above). A success clears the
    // account's counter and gives the address back its place: the address counts failures only.
    release: async () => {
      await db.delete(signInThrottle).where(eq(signInThrottle.key, `email:${email}`));
      if (ip) await giveBack(db, `ip:${ip}`);
    },
  };
}

async function giveBack(db: Database, key: string): Promise<void> {
  await db
    .update(signInThrottle)
    .set({ failures: sql`greatest(${signInThrottle.failures} - 1, 0)` })
    .where(
      and(
        eq(signInThrottle.key, key),
        gt(signInThrottle.failures, 0),
        or(isNull(signInThrottle.lockedUntil), lt(signInThrottle.lockedUntil, sql`now()`)),
      ),
    );
}
