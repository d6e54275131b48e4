/**
 * Single sign-on (OIDC, e.g. Amazon Cognito) links to a local account by e-mail address. That is
 * only safe when the identity provider says it checked the address: Cognito user pools let people
 * sign up with any address and leave `email_verified` false until they confirm it, so linking an
 * unverified address would let anyone take over the local account that has it (the admin's too).
 */
import type { Database } from "../db/client";
import { findUserByEmail } from "../services/users";

/** Codes the sign-in page turns into a message (`/sign-in?error=<code>`). */
export const OIDC_EMAIL_NOT_VERIFIED = "email-not-verified";
export const OIDC_ACCOUNT_DEACTIVATED = "deactivated";

/**
 * True only for `email_verified: true`. Cognito's ID token carries a boolean; its userinfo endpoint
 * (and some other providers) send the string "true". Absent means not verified.
 */
export function isEmailVerified(profile: unknown): boolean {
  if (!profile || typeof profile !== "object") return false;
  const value = (profile as { email_verified?: unknown }).email_verified;
  return value === true || value === "true";
}

/**
 * Auth.js `signIn` callback for an OIDC account: true to continue (the jwt callback then links or
 * creates the local account), or the sign-in page with an error code to refuse.
 */
export async function checkOidcSignIn(
  db: Database,
  identity: { email: string | null | undefined; profile: unknown },
): Promise<true | string> {
  if (!identity.email || !isEmailVerified(identity.profile))
    return `/sign-in?error=${OIDC_EMAIL_NOT_VERIFIED}`;
  // Single sign-on cannot bring a deactivated account back.
  const local = await findUserByEmail(db, identity.email);
  if (local?.deactivatedAt) return `/sign-in?error=${OIDC_ACCOUNT_DEACTIVATED}`;
  return true;
}
