import { type NextRequest, NextResponse } from "next/server";
import { auth } from "@/server/auth/config";

const PUBLIC_PAGES = ["/sign-in", "/sign-up", "/set-password"];

/**
 * Sends anonymous visitors of app pages to sign-in. API routes are not matched: each one
 * authenticates itself (session for tRPC, API key for the REST API), and every tRPC procedure
 * checks the role again, so this is the first gate, not the only one.
 */
export default auth((request: NextRequest & { auth: unknown }) => {
  const { pathname, search } = request.nextUrl;
  const isPublic = PUBLIC_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (isPublic || request.auth) return NextResponse.next();
  const url = new URL("/sign-in", request.nextUrl.origin);
  if (pathname !== "/") url.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(url);
});

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|icon.svg|robots.txt).*)"],
};
