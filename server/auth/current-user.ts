import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { getDb } from "../db/client";
import type { PublicUser } from "../services/users";
import { auth } from "./config";
import { authSecret } from "./secret";
import { sessionFromCookies } from "./session-cookie";
import { userOfSession } from "./session-user";

/**
 * The signed-in user as the database knows them now. The session cookie only says who they are
 * and under which session version; the role is read fresh so that a role change applies on the
 * next request, and an ended session (sign-out, deactivation, …) is refused at once. The cookie
 * itself is decoded once per value (session-cookie.ts), not by a full `auth()` per page.
 */
export const getCurrentUser = cache(async (): Promise<PublicUser | null> => {
  const lookup = await sessionFromCookies((await cookies()).getAll(), authSecret());
  const session = lookup.kind === "session" ? lookup.session : await auth();
  return userOfSession(await getDb(), session);
});
