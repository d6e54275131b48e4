import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import { type SignUpInput, signUpSchema } from "@/lib/validation/account";
import type { Database } from "../db/client";
import { type Role, users } from "../db/schema";
import { FieldValidationError } from "../errors";
import { type Actor, recordAudit } from "./audit";
import { assertAcceptablePassword, dummyPasswordHash, hashPassword, verifyPassword } from "./passwords";
import { getSetting, SIGN_UP_SETTING } from "./settings";
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

/** What a session cookie says about its user: who, and under which session version it was issued. */
export interface SessionClaims {
  userId: number;
  sessionVersion: number;
}

/**
 * The user a session belongs to, read fresh (role included), or null when that session has been
 * ended: signed out, password changed or reset, role changed, account deactivated or deleted.
 */
export async function userForSession(db: Database, claims: SessionClaims): Promise<PublicUser | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(
      and(
        eq(users.id, claims.userId),
        eq(users.sessionVersion, claims.sessionVersion),
        isNull(users.deactivatedAt),
      ),
    );
  return user ? toPublicUser(user) : null;
}

/**
 * Ends every session of a user by moving their session version on. With `ifVersion`, only when the
 * caller's own session is still current: a stale copied cookie signing out must not end the
 * owner's live sessions.
 */
export async function endSessions(
  db: Database,
  userId: number,
  options: { ifVersion?: number } = {},
): Promise<boolean> {
  const conditions = [eq(users.id, userId)];
  if (options.ifVersion !== undefined) conditions.push(eq(users.sessionVersion, options.ifVersion));
  const updated = await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(and(...conditions))
    .returning({ id: users.id });
  return updated.length > 0;
}

/** Sign-out: ends every session of the user (all devices), and audits it. */
export async function signOutEverywhere(
  db: Database,
  claims: SessionClaims,
  ip: string | null,
): Promise<void> {
  if (!(await endSessions(db, claims.userId, { ifVersion: claims.sessionVersion }))) return;
  const user = await getUserById(db, claims.userId);
  if (!user) return;
  await recordAudit(
    db,
    { id: user.id, label: user.email, ip },
    { action: "user.sign_out", targetType: "user", targetId: user.id },
  );
}

export async function findUserByEmail(db: Database, email: string): Promise<PublicUser | null> {
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
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

/**
 * Creates an account with a password, for seeds and tests (people sign up through publicSignUp,
 * admins create accounts with createUserWithLink). Refuses an email already in use.
 */
export async function signUp(
  db: Database,
  input: SignUpInput,
  options: SignUpOptions = {},
): Promise<PublicUser> {
  const parsed = signUpSchema.parse(input);
  await assertAcceptablePassword(parsed.password);
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

export class SignUpClosedError extends Error {
  constructor() {
    super("Sign-up is closed. Ask an admin of your ChurnGuard to create an account for you.");
  }
}

/** Anyone may sign up on an empty database (that account becomes the admin), else only when open. */
export async function isSignUpOpen(db: Database): Promise<boolean> {
  if ((await countUsers(db)) === 0) return true;
  return (await getSetting(db, SIGN_UP_SETTING, { fresh: true })).open;
}

/**
 * The sign-up page. It answers the same whether or not the email already has an account, and does
 * the same work (the password is checked and hashed, a row is written) so the time does not tell
 * either: "An account with this email already exists" let anyone test who uses ChurnGuard. The
 * existing account is untouched; its owner simply signs in with their own password.
 */
export async function publicSignUp(
  db: Database,
  input: SignUpInput,
  ip: string | null,
): Promise<{ status: "submitted" }> {
  const parsed = signUpSchema.parse(input);
  if (!(await isSignUpOpen(db))) throw new SignUpClosedError();
  await assertAcceptablePassword(parsed.password);
  const passwordHash = await hashPassword(parsed.password);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SIGN_UP_LOCK_ID})`);
    // Again under the lock: two first sign-ups must not both find the database empty.
    const isFirst = (await countUsers(tx)) === 0;
    if (!isFirst && !(await getSetting(tx, SIGN_UP_SETTING, { fresh: true })).open)
      throw new SignUpClosedError();
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, parsed.email));
    if (existing) {
      await recordAudit(
        tx,
        { id: null, label: parsed.email, ip },
        {
          action: "user.sign_up_existing_email",
          targetType: "user",
          targetId: existing.id,
          details: { email: parsed.email },
        },
      );
      return;
    }
    const role: Role = isFirst ? "admin" : "viewer";
    const [created] = await tx
      .insert(users)
      .values({ email: parsed.email, name: parsed.name, passwordHash, role })
      .returning();
    await recordAudit(
      tx,
      { id: created.id, label: created.email, ip },
      {
        action: "user.sign_up",
        targetType: "user",
        targetId: created.id,
        details: { email: created.email, role },
      },
    );
  });
  return { status: "submitted" };
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

/**
 * Changes a user's role, refusing to remove the last admin, and audits the change. The user's
 * sessions end: they sign in again under the new role rather than keep a session granted under
 * the old one.
 */
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
      .set({ role, updatedAt: new Date(), sessionVersion: sql`${users.sessionVersion} + 1` })
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
