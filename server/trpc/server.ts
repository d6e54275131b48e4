import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { getCurrentUser } from "../auth/current-user";
import { requestIp } from "../auth/request-ip";
import { getDb } from "../db/client";
import { createInnerContext } from "./init";
import { createCaller } from "./root";

/**
 * tRPC for server components: the same procedures and guards, called without HTTP. The user is
 * the request's one `getCurrentUser()` (the layout has already read it): building the context
 * through createContext decoded the session cookie and read the user a second time per page.
 */
export const serverApi = cache(async () => {
  const [db, user, requestHeaders] = await Promise.all([getDb(), getCurrentUser(), headers()]);
  return createCaller(createInnerContext({ db, user, ip: requestIp(requestHeaders) }));
});
