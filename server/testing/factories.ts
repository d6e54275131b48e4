import type { Database } from "../db/client";
import type { Role } from "../db/schema";
import { type PublicUser, signUp } from "../services/users";
import { createInnerContext } from "../trpc/init";
import { createCaller } from "../trpc/root";

let sequence = 0;

/** A user with a unique email; role forced so tests do not depend on who signed up first. */
export async function createUser(
  db: Database,
  role: Role,
  overrides: { email?: string; password?: string } = {},
) {
  sequence += 1;
  const password = overrides.password ?? "correct horse battery";
  const user = await signUp(
    db,
    {
      name: `${role} ${sequence}`,
      email: overrides.email ?? `${role}-${sequence}-${Date.now()}@example.com`,
      password,
    },
    { role },
  );
  return { user, password };
}

export function callerFor(db: Database, user: PublicUser | null, ip = "203.0.113.7") {
  return createCaller(createInnerContext({ db, user, ip }));
}
