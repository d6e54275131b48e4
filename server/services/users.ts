import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import {
  emailSchema,
  newPasswordSchema,
  PASSWORD_MAX_LENGTH,
  type SignUpInput,
  signUpSchema,
} from "@/lib/validation/account";
import type { Database } from "../db/client";
import { ROLES, type Role, users } from "../db/schema";
import { isOnLambda } from "../env";
import { FieldValidationError } from "../errors";
import { type Actor, recordAudit } from "./audit";
import {
  issuePasswordLink,
  NEW_ACCOUNT_LINK_HOURS,
  type PasswordLink,
  RESET_LINK_HOURS,
} from "./password-links";
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

/** False for accounts that sign in through single sign-on, or are waiting for a set-password link. */
export async function hasPassword(db: Database, userId: number): Promise<boolean> {
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return Boolean(row?.hash);
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

/**
 * Whether the first account on an empty database becomes its admin. Not on AWS Lambda: a fresh
 * deploy is public the moment it is up, so whoever found it first would own it; the first admin
 * is created by the deploy step `npm run admin:create` instead (createFirstAdmin).
 */
export function firstAccountBecomesAdmin(): boolean {
  return !isOnLambda();
}

/** Anyone may sign up on an empty database (that account becomes the admin), else only when open. */
export async function isSignUpOpen(db: Database): Promise<boolean> {
  if (firstAccountBecomesAdmin() && (await countUsers(db)) === 0) return true;
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
    const isFirst = firstAccountBecomesAdmin() && (await countUsers(tx)) === 0;
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

export type ListedUser = PublicUser & { hasPassword: boolean };

/** Everyone, oldest first, with whether they have a password yet (single sign-on users do not). */
export async function listUsers(db: Database): Promise<ListedUser[]> {
  const rows = await db.select().from(users).orderBy(asc(users.createdAt), asc(users.id));
  return rows.map((row) => ({ ...toPublicUser(row), hasPassword: row.passwordHash !== null }));
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
    if (user.role === "admin" && !user.deactivatedAt) await assertAnotherActiveAdmin(tx);
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

/** Call under SIGN_UP_LOCK_ID: refuses a change that would leave no active admin. */
async function assertAnotherActiveAdmin(tx: Database): Promise<void> {
  const [admins] = await tx
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt)));
  if (admins.n <= 1) throw new LastAdminError();
}

export class EmailInUseError extends FieldValidationError {
  constructor() {
    super({ email: ["An account with this email already exists"] });
  }
}

export const createUserSchema = z.object({
  name: signUpSchema.shape.name,
  email: emailSchema,
  role: z.enum(ROLES),
});

/**
 * An admin adds a person: the account has no password until they open the one-time link returned
 * here (shown to the admin to pass on). The admin never learns or chooses the password.
 */
export async function createUserWithLink(
  db: Database,
  actor: Actor,
  input: z.input<typeof createUserSchema>,
): Promise<{ user: PublicUser; link: PasswordLink }> {
  const parsed = createUserSchema.parse(input);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SIGN_UP_LOCK_ID})`);
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, parsed.email));
    if (existing) throw new EmailInUseError();
    const [created] = await tx
      .insert(users)
      .values({ email: parsed.email, name: parsed.name, role: parsed.role, passwordHash: null })
      .returning();
    const link = await issuePasswordLink(tx, created.id, NEW_ACCOUNT_LINK_HOURS);
    await recordAudit(tx, actor, {
      action: "user.created",
      targetType: "user",
      targetId: created.id,
      details: { email: created.email, role: created.role },
    });
    return { user: toPublicUser({ ...created, passwordLinkExpiresAt: link.expiresAt }), link };
  });
}

export class AccountStateError extends Error {}

async function lockedUser(tx: Database, userId: number): Promise<UserRecord> {
  await tx.execute(sql`select pg_advisory_xact_lock(${SIGN_UP_LOCK_ID})`);
  const [user] = await tx.select().from(users).where(eq(users.id, userId));
  if (!user) throw new UserNotFoundError(userId);
  return user;
}

/**
 * An admin resets someone's password: the old password stops working and every session ends at
 * once (the usual reason is that someone else may know it); the user sets a new one via the link.
 */
export async function resetPassword(db: Database, actor: Actor, userId: number): Promise<PasswordLink> {
  return db.transaction(async (tx) => {
    const user = await lockedUser(tx, userId);
    if (user.deactivatedAt)
      throw new AccountStateError("Reactivate this account before resetting its password");
    await tx
      .update(users)
      .set({ passwordHash: null, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(users.id, userId));
    const link = await issuePasswordLink(tx, userId, RESET_LINK_HOURS);
    await recordAudit(tx, actor, {
      action: "user.password_reset",
      targetType: "user",
      targetId: userId,
      details: { email: user.email },
    });
    return link;
  });
}

/** Switches an account off: no sign-in, and its live sessions end on their next request. */
export async function deactivateUser(db: Database, actor: Actor, userId: number): Promise<PublicUser> {
  return db.transaction(async (tx) => {
    const user = await lockedUser(tx, userId);
    if (user.id === actor.id) throw new AccountStateError("You cannot deactivate your own account");
    if (user.deactivatedAt) return toPublicUser(user);
    if (user.role === "admin") await assertAnotherActiveAdmin(tx);
    const [updated] = await tx
      .update(users)
      .set({
        deactivatedAt: new Date(),
        sessionVersion: sql`${users.sessionVersion} + 1`,
        passwordLinkHash: null,
        passwordLinkExpiresAt: null,
        updatedAt: new Date(),
      })
      .where(eq(users.id, userId))
      .returning();
    await recordAudit(tx, actor, {
      action: "user.deactivated",
      targetType: "user",
      targetId: userId,
      details: { email: user.email },
    });
    return toPublicUser(updated);
  });
}

export async function reactivateUser(db: Database, actor: Actor, userId: number): Promise<PublicUser> {
  return db.transaction(async (tx) => {
    const user = await lockedUser(tx, userId);
    if (!user.deactivatedAt) return toPublicUser(user);
    const [updated] = await tx
      .update(users)
      .set({ deactivatedAt: null, updatedAt: new Date() })
      .where(eq(users.id, userId))
      .returning();
    await recordAudit(tx, actor, {
      action: "user.reactivated",
      targetType: "user",
      targetId: userId,
      details: { email: user.email },
    });
    return toPublicUser(updated);
  });
}

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password").max(PASSWORD_MAX_LENGTH),
  newPassword: newPasswordSchema,
});

/**
 * A user changes their own password. The current one is checked under the sign-in throttle (a
 * borrowed session must not become a way to guess it), and every session ends, this one included:
 * the browser signs in again with the new password.
 */
export async function changeOwnPassword(
  db: Database,
  user: PublicUser,
  input: z.input<typeof changePasswordSchema>,
  ip: string | null,
  policy: ThrottlePolicy,
): Promise<void> {
  const parsed = changePasswordSchema.parse(input);
  const [row] = await db.select().from(users).where(eq(users.id, user.id));
  if (!row) throw new UserNotFoundError(user.id);
  if (!row.passwordHash) {
    throw new AccountStateError("Your account signs in through single sign-on and has no password here");
  }
  const reservation = await reserveSignInAttempt(db, row.email, ip, policy);
  if (!reservation.admitted) {
    throw new FieldValidationError({
      currentPassword: [`Too many wrong passwords. Try again in ${reservation.retryInMinutes} minutes.`],
    });
  }
  if (!(await verifyPassword(row.passwordHash, parsed.currentPassword))) {
    await recordAudit(
      db,
      { id: row.id, label: row.email, ip },
      { action: "user.password_change_failed", targetType: "user", targetId: row.id },
    );
    throw new FieldValidationError({ currentPassword: ["This is not your current password"] });
  }
  await reservation.release("succeeded");
  if (parsed.newPassword === parsed.currentPassword) {
    throw new FieldValidationError({ newPassword: ["Choose a password different from the current one"] });
  }
  await assertAcceptablePassword(parsed.newPassword, "newPassword");
  const passwordHash = await hashPassword(parsed.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(users.id, row.id));
    await recordAudit(
      tx,
      { id: row.id, label: row.email, ip },
      { action: "user.password_changed", targetType: "user", targetId: row.id },
    );
  });
}

export const renameSchema = z.object({ name: signUpSchema.shape.name });

/** A user changes the name others see (the email stays: it is how they sign in). */
export async function renameSelf(
  db: Database,
  user: PublicUser,
  input: z.input<typeof renameSchema>,
  ip: string | null,
): Promise<PublicUser> {
  const { name } = renameSchema.parse(input);
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ name, updatedAt: new Date() })
      .where(eq(users.id, user.id))
      .returning();
    if (!updated) throw new UserNotFoundError(user.id);
    await recordAudit(
      tx,
      { id: user.id, label: user.email, ip },
      {
        action: "user.renamed",
        targetType: "user",
        targetId: user.id,
        details: { from: user.name, to: name },
      },
    );
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
    const role: Role = firstAccountBecomesAdmin() && (await countUsers(tx)) === 0 ? "admin" : "viewer";
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

export type FirstAdminResult =
  | { status: "created"; user: PublicUser; link: PasswordLink }
  | { status: "promoted"; user: PublicUser; link: PasswordLink | null }
  | { status: "already-admin"; user: PublicUser };

/** The deploy step's actor in the audit log. */
const DEPLOY_ACTOR: Actor = { id: null, label: "deploy (npm run admin:create)" };

/**
 * The deploy step that gives a fresh deployment its admin (`npm run admin:create -- --email …`):
 * a new account gets a one-time set-password link (72 hours) that only the person running the
 * step sees. Safe to run on every deploy: an existing admin is left alone. An existing non-admin
 * is promoted only with `promote` (a fresh link too when the account has no password yet).
 */
export async function createFirstAdmin(
  db: Database,
  input: { email: string; name?: string; promote?: boolean },
): Promise<FirstAdminResult> {
  const email = emailSchema.parse(input.email);
  const existing = await findUserByEmail(db, email);
  if (existing?.role === "admin" && !existing.deactivatedAt)
    return { status: "already-admin", user: existing };
  if (existing) {
    if (!input.promote) {
      throw new AccountStateError(
        `${email} already has an account (${existing.role}${existing.deactivatedAt ? ", deactivated" : ""}); run again with --promote to make it an admin.`,
      );
    }
    return db.transaction(async (tx) => {
      const user = await lockedUser(tx, existing.id);
      const [updated] = await tx
        .update(users)
        .set({ role: "admin", deactivatedAt: null, sessionVersion: user.sessionVersion + 1 })
        .where(eq(users.id, user.id))
        .returning();
      const link = user.passwordHash ? null : await issuePasswordLink(tx, user.id, NEW_ACCOUNT_LINK_HOURS);
      await recordAudit(tx, DEPLOY_ACTOR, {
        action: "user.role_changed",
        targetType: "user",
        targetId: user.id,
        details: { email, from: user.role, to: "admin" },
      });
      return { status: "promoted" as const, user: toPublicUser(updated), link };
    });
  }
  const created = await createUserWithLink(db, DEPLOY_ACTOR, {
    email,
    name: input.name?.trim() || email.split("@")[0],
    role: "admin",
  });
  return { status: "created", ...created };
}
