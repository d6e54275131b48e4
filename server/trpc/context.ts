import { auth } from "../auth/config";
import { requestIp } from "../auth/request-ip";
import { userOfSession } from "../auth/session-user";
import { getDb } from "../db/client";
import { requestIdFrom } from "../log";
import { type Context, createInnerContext } from "./init";

/** For the HTTP handler and server components: the session's user, read fresh (ended sessions refused). */
export async function createContext(opts: { headers: Headers; requestId?: string }): Promise<Context> {
  const db = await getDb();
  const user = await userOfSession(db, await auth());
  const requestId = opts.requestId ?? requestIdFrom(opts.headers);
  return createInnerContext({ db, user, ip: requestIp(opts.headers), requestId });
}
