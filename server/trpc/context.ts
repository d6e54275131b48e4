import { auth } from "../auth/config";
import { requestIp } from "../auth/request-ip";
import { getDb } from "../db/client";
import { getUserById } from "../services/users";
import { type Context, createInnerContext } from "./init";

/** For the HTTP handler and server components: the session's user, read fresh from the database. */
export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const db = await getDb();
  const session = await auth();
  const id = Number(session?.user?.id);
  const user = Number.isInteger(id) && id > 0 ? await getUserById(db, id) : null;
  return createInnerContext({ db, user, ip: requestIp(opts.headers) });
}
