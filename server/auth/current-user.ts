import "server-only";
import { cache } from "react";
import { getDb } from "../db/client";
import type { PublicUser } from "../services/users";
import { auth } from "./config";
import { userOfSession } from "./session-user";

/**
 * The signed-in user as the database knows them now. The session cookie only says who they are
 * and under which session version; the role is read fresh so that a role change applies on the
 * next request, and an ended session (sign-out, deactivation, …) is refused at once.
 */
export const getCurrentUser = cache(async (): Promise<PublicUser | null> => {
  return userOfSession(await getDb(), await auth());
});
