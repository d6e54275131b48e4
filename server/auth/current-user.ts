import "server-only";
import { cache } from "react";
import { getDb } from "../db/client";
import { getUserById, type PublicUser } from "../services/users";
import { auth } from "./config";

/**
 * The signed-in user as the database knows them now. The session cookie only says who they are;
 * the role is read fresh so that a role change applies on the next request, not the next sign-in.
 */
export const getCurrentUser = cache(async (): Promise<PublicUser | null> => {
  const session = await auth();
  const id = Number(session?.user?.id);
  if (!Number.isInteger(id) || id <= 0) return null;
  return getUserById(await getDb(), id);
});
