import { type NextFetchEvent, type NextRequest, NextResponse } from "next/server";
import { auth, SESSION_MAX_AGE_S } from "@/server/auth/config";
import { gateDecision } from "@/server/auth/proxy-gate";
import { authSecret } from "@/server/auth/secret";
import { sessionFromCookies } from "@/server/auth/session-cookie";

const PUBLIC_PAGES = ["/sign-in", "/sign-up", "/set-password"];

function toSignIn(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const url = new URL("/sign-in", request.nextUrl.origin);
  if (pathname !== "/") url.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(url);
}

/** Auth.js' own guard: reads the session and re-issues its cookie (the expiry slides). */
const refreshingGuard = auth((request: NextRequest & { auth: unknown }) =>
  request.auth ? NextResponse.next() : toSignIn(request),
);

/**
 * Sends anonymous visitors of app pages to sign-in. API routes are not matched: each one
 * authenticates itself (session for tRPC, API key for the REST API), and every tRPC procedure
 * checks the role again, so this is the first gate, not the only one. The session cookie is
 * decoded once per value (cached), and Auth.js runs only when the cookie is due for a refresh
 * (server/auth/proxy-gate.ts); the app layout checks the session against the database.
 */
export default async function proxy(request: NextRequest, event: NextFetchEvent) {
  const { pathname } = request.nextUrl;
  if (PUBLIC_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return NextResponse.next();
  const lookup = await sessionFromCookies(request.cookies.getAll(), authSecret());
  const decision = gateDecision(lookup, SESSION_MAX_AGE_S);
  if (decision === "pass") return NextResponse.next();
  if (decision === "sign-in") return toSignIn(request);
  // Auth.js types its wrapper as a route handler; as the proxy it receives the proxy event.
  return refreshingGuard(request, event as never);
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|icon.svg|robots.txt).*)"],
};
