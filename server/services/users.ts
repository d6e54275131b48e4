import { asc, count, eq, sql } from "drizzle-orm";
import { type SignUpInput, signUpSchema } from "@/lib/validation/account";
import type { Database } from "../db/client";
import { type Role, users } from "../db/schema";
import { FieldValidationError } from "../errors";
import { type Actor, recordAudit } from "./audit";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./passwords";
import { reserveSignInAttempt, type ThrottlePolicy } from "./sign-in-throttle";

export type UserRecord = typeof users.$inferSelect;
export type PublicUser = Omit<UserRecord, "passwordHash" | "passwordLinkHash">;

/** Arbitrary constant serialising sign-ups, so two first sign-ups cannot both become admin. */
const SIGN_UP_LOCK_ID = 727_140_002;

export function toPublicUser(user: UserRecord): PublicUser {
  const { passwordHash: _hash, passwordLinkHash: _link, ...rest } = user;
  return rest;
}

export async function getUserById(db: Database, id: number): Promise<PublicUser | null> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user ? toPublicUser(user) : null;
}

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row.n;
}

export interface SignUpOptions {
  /** Force a role (demo admin, seeds); otherwise the first account is admin and later ones viewers. */
  role?: Role;
  actor?: Actor;
}

/** Creates an account. The first account on an empty database becomes admin. */
export async function signUp(
  db: Database,
  input: SignUpInput,
  options: SignUpOptions = {},
): Promise<PublicUser> {
  const parsed = signUpSchema.parse(input);
  const passwordHash = await hashPassword(parsed.password);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SIGN_UP_LOCK_ID})`);
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, parsed.email));
    if (existing) throw new FieldValidationError({ email: ["An account with this email already exists"] });
    const role = options.role ?? ((await countUsers(tx)) === 0 ? "admin" : "viewer");
    const [created] = await tx
      .insert(users)
      .values({ email: parsed.email, name: parsed.name, passwordHash, role })
      .returning();
    const actor = options.actor ?? { id: created.id, label: created.email };
    await recordAudit(tx, actor, {
      action: "user.sign_up",
      targetType: "user",
      targetId: created.id,
      details: { email: created.email, role },
    });
    return toPublicUser(created);
  });
}

export type AuthenticateResult =
  | { ok: true; user: PublicUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "deactivated" }
  | { ok: false; reason: "locked"; retryInMinutes: number };

/**
 * Checks credentials, applying the per-account and per-address lockout, and audits the attempt.
 * The attempt is counted before the password is verified (see sign-in-throttle.ts), so parallel
 * guesses cannot outrun the lockout.
 */
export async function authenticate(
  db: Database,
  credentials: { email: string; password: string },
  ip: string | null,
  policy: ThrottlePolicy,
): Promise<AuthenticateResult> {
  const email = credentials.email.trim().toLowerCase();
  const reservation = await reserveSignInAttempt(db, email, ip, policy);
  if (!reservation.admitted) {
    await recordAudit(
      db,
      { id: null, label: email, ip },
      { action: "user.sign_in_blocked", details: { email } },
    );
    return { ok: false, reason: "locked", retryInMinutes: reservation.retryInMinutes };
  }
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, credentials.password)
    : (await verifyPassword(await dummyPasswordHash(), credentials.password)) && false;
  if (!user || !valid) {
    await recordAudit(
      db,
      { id: user?.id ?? null, label: email, ip },
      {
        action: "user.sign_in_failed",
        targetType: user ? "user" : undefined,
        targetId: user?.id,
        details: { email },
      },
    );
    return { ok: false, reason: "invalid" };
  }
  await reservation.release("succeeded");
  if (user.deactivatedAt) {
    // Only someone who knows the password learns that the account exists but is switched off.
    await recordAudit(
      db,
      { id: user.id, label: user.email, ip },
      { action: "user.sign_in_deactivated", targetType: "user", targetId: user.id },
    );
    return { ok: false, reason: "deactivated" };
  }
  const [updated] = await db
    .update(users)
    .set({ lastSignInAt: new Date() })
    .where(eq(users.id, user.id))
    .returning();
  await recordAudit(
    db,
    { id: user.id, label: user.email, ip },
    { action: "user.sign_in", targetType: "user", targetId: user.id },
  );
  return { ok: true, user: toPublicUser(updated) };
}

export async function listUsers(db: Database): Promise<PublicUser[]> {
  const rows = await db.select().from(users).orderBy(asc(users.createdAt), asc(users.id));
  return rows.map(toPublicUser);
}

export class LastAdminError extends Error {
  constructor() {
    super("ChurnGuard needs at least one admin: promote another user to admin first");
  }
}

export class UserNotFoundError extends Error {
  constructor(id: number) {
    super(`User ${id} does not exist`);
  }
}

/** Changes a user's role, refusing to remove the last admin, and audits the change. */
export async function setRole(db: Database, actor: Actor, userId: number, role: Role): Promise<PublicUser> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SIGN_UP_LOCK_ID})`);
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user) throw new UserNotFoundError(userId);
    if (user.role === role) return toPublicUser(user);
    if (user.role === "admin") {
      const [admins] = await tx.select({ n: count() }).from(users).where(eq(users.role, "admin"));
      if (admins.n <= 1) throw new LastAdminError();
    }
    const [updated] = await tx
      .update(users)
      .set({ role, updatedAt: new Date() })
      .where(eq(users.id, userId))
      .returning();
    await recordAudit(tx, actor, {
      action: "user.role_changed",
      targetType: "user",
      targetId: userId,
      details: { email: user.email, from: user.role, to: role },
    });
    return toPublicUser(updated);
  });
}

/** Accounts that sign in through single sign-on have no password; roles follow the same rules. */
export async function findOrCreateOidcUser(
  db: Database,
  identity: { email: string; name: string },
): Promise<PublicUser> {
  const email = identity.email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SIGN_UP_LOCK_ID})`);
    const [existing] = await tx.select().from(users).where(eq(users.email, email));
    if (existing) {
      const [updated] = await tx
        .update(users)
        .set({ lastSignInAt: new Date() })
        .where(eq(users.id, existing.id))
        .returning();
      await recordAudit(
        tx,
        { id: existing.id, label: email },
        { action: "user.sign_in", targetType: "user", targetId: existing.id, details: { via: "sso" } },
      );
      return toPublicUser(updated);
    }
    const role: Role = (await countUsers(tx)) === 0 ? "admin" : "viewer";
    const [created] = await tx
      .insert(users)
      .values({ email, name: identity.name, passwordHash: null, role, lastSignInAt: new Date() })
      .returning();
    await recordAudit(
      tx,
      { id: created.id, label: email },
      {
        action: "user.sign_up",
        targetType: "user",
        targetId: created.id,
        details: { email, role, via: "sso" },
      },
    );
    return toPublicUser(created);
  });
}
