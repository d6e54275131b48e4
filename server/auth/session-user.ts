import type { Session } from "next-auth";
import type { Database } from "../db/client";
import { type PublicUser, type SessionClaims, userForSession } from "../services/users";

/** The claims in a decoded session, or null for an anonymous or malformed one. */
export function sessionClaims(session: Session | null | undefined): SessionClaims | null {
  const userId = Number(session?.user?.id);
  const sessionVersion = session?.user?.sessionVersion;
  if (!Number.isInteger(userId) || userId <= 0) return null;
  // A cookie issued before session versions existed has none: it is refused like an ended one.
  if (typeof sessionVersion !== "number" || !Number.isInteger(sessionVersion)) return null;
  return { userId, sessionVersion };
}

/**
 * The session's user as the database knows them now, or null. Every way in (pages, tRPC, route
 * handlers) goes through here, so an ended session is refused everywhere on its next request.
 */
export async function userOfSession(
  db: Database,
  session: Session | null | undefined,
): Promise<PublicUser | null> {
  const claims = sessionClaims(session);
  return claims ? userForSession(db, claims) : null;
}
