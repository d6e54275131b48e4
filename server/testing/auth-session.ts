/**
 * Real Auth.js session cookies for route-handler tests. Signing in goes through the app's own
 * Auth.js handlers exactly as the browser's sign-in form does (CSRF token, credentials provider,
 * `authorize`, the `jwt` callback), and the cookie that comes back is the one a browser would
 * send; a route handler then reads it through `auth()` and the `session` callback (see
 * request-scope.ts). Nothing in the auth path is replaced.
 *
 * The database Auth.js reads is the app's (`getDb()`): point it at the test database first.
 * AUTH_SECRET is set for every test run in vitest.config.mts, so no secret is written to .data.
 */
import { NextRequest } from "next/server";

const ORIGIN = "http://localhost";

function cookiePairs(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
}

/** The `Cookie` header value of a signed-in session for this email and password. */
export async function signInCookie(email: string, password: string): Promise<string> {
  const { handlers } = await import("../auth/config");
  const csrf = await handlers.GET(new NextRequest(`${ORIGIN}/api/auth/csrf`));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await handlers.POST(
    new NextRequest(`${ORIGIN}/api/auth/callback/credentials`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: cookiePairs(csrf).join("; "),
      },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${ORIGIN}/dashboard` }),
    }),
  );
  const session = cookiePairs(response).find((pair) => pair.startsWith("authjs.session-token="));
  if (!session) {
    throw new Error(
      `Signing in as ${email} gave no session cookie (status ${response.status}, location ${response.headers.get("location")})`,
    );
  }
  return session;
}
