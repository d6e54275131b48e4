/**
 * One-time set-password links: how a user created by an admin gets a password, and how an admin
 * resets one. The token is 32 random bytes shown once (to the admin, who passes it on); only its
 * SHA-256 is stored, so a leaked database holds no usable link. Using a link is one UPDATE that
 * matches the unexpired hash and clears it, so two uses of the same link cannot both succeed.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { users } from "../db/schema";
import { type Actor, recordAudit } from "./audit";
import { assertAcceptablePassword, hashPassword } from "./passwords";

/** Long enough to pass a link on over a weekend; a reset is meant to be used at once. */
export const NEW_ACCOUNT_LINK_HOURS = 72;
export const RESET_LINK_HOURS = 24;

export interface PasswordLink {
  token: string;
  expiresAt: Date;
}

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

/** Tokens are base64url of 32 bytes: anything else is refused before touching the database. */
const looksLikeToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

/** Stores a fresh link for the user (replacing any earlier one) and returns its token once. */
export async function issuePasswordLink(db: Database, userId: number, hours: number): Promise<PasswordLink> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + hours * 3_600_000);
  await db
    .update(users)
    .set({ passwordLinkHash: hashOf(token), passwordLinkExpiresAt: expiresAt })
    .where(eq(users.id, userId));
  return { token, expiresAt };
}

function validLink(token: string) {
  return and(
    eq(users.passwordLinkHash, hashOf(token)),
    gt(users.passwordLinkExpiresAt, sql`now()`),
    isNull(users.deactivatedAt),
  );
}

/** Who a link is for, while it can still be used; null for an unknown, used or expired link. */
export async function describePasswordLink(
  db: Database,
  token: string,
): Promise<{ email: string; name: string; expiresAt: Date } | null> {
  if (!looksLikeToken(token)) return null;
  const [row] = await db
    .select({ email: users.email, name: users.name, expiresAt: users.passwordLinkExpiresAt })
    .from(users)
    .where(validLink(token));
  return row?.expiresAt ? { email: row.email, name: row.name, expiresAt: row.expiresAt } : null;
}

export class PasswordLinkInvalidError extends Error {
  constructor() {
    super("This link has expired or has already been used. Ask an admin for a new one.");
  }
}

/**
 * Sets the password through a link and uses the link up. Every earlier session of the user ends
 * (a reset is often about someone else holding the old password). Returns the email to sign in with.
 */
export async function setPasswordWithLink(
  db: Database,
  token: string,
  password: string,
  ip: string | null,
): Promise<{ email: string }> {
  if (!looksLikeToken(token)) throw new PasswordLinkInvalidError();
  await assertAcceptablePassword(password);
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({
        passwordHash,
        passwordLinkHash: null,
        passwordLinkExpiresAt: null,
        sessionVersion: sql`${users.sessionVersion} + 1`,
        updatedAt: new Date(),
      })
      .where(validLink(token))
      .returning({ id: users.id, email: users.email });
    if (!user) throw new PasswordLinkInvalidError();
    const actor: Actor = { id: user.id, label: user.email, ip };
    await recordAudit(tx, actor, { action: "user.password_set", targetType: "user", targetId: user.id });
    return { email: user.email };
  });
}
