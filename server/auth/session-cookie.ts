/**
 * The session of a page request, decoded from its cookie once per cookie value instead of once per
 * request. Auth.js' `auth()` runs its whole request initialisation (CSRF token digest, key
 * derivation, decryption) on every call: measured at about a quarter of a signed-in page's server
 * CPU. The cookie is the same on every page a user opens, so its decoded claims are kept for at
 * most a minute (never past the token's own expiry). Nothing about the user is cached: the
 * database still decides on every request whether the session is live (session-user.ts), so a
 * sign-out or deactivation applies on the next request as before.
 */
import type { Session } from "next-auth";
import { decode } from "next-auth/jwt";
import { processWide } from "../process-wide";

/** Auth.js' session cookie names (the secure prefix over HTTPS); the name is also the JWE salt. */
export const SESSION_COOKIE_NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;
const DECODED_TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Decoded {
  session: Session | null;
  until: number;
}

const decodedSessions = processWide("decodedSessions", () => new Map<string, Decoded>());

export type SessionLookup = { kind: "session"; session: Session | null } | { kind: "fallback" };

/**
 * The session in `cookies`, or `fallback` when only Auth.js itself can read it (a cookie split in
 * chunks because it grew past 4 KB): the caller then asks `auth()`.
 */
export async function sessionFromCookies(
  cookies: readonly { name: string; value: string }[],
  secret: string,
  now = Date.now(),
): Promise<SessionLookup> {
  if (cookies.some((c) => /session-token\.\d+$/.test(c.name))) return { kind: "fallback" };
  const cookie = SESSION_COOKIE_NAMES.map((name) => cookies.find((c) => c.name === name)).find(Boolean);
  if (!cookie) return { kind: "session", session: null };
  const key = `${cookie.name}\n${cookie.value}`;
  const hit = decodedSessions.get(key);
  if (hit && hit.until > now) return { kind: "session", session: hit.session };

  let session: Session | null = null;
  let until = now + DECODED_TTL_MS;
  try {
    const token = await decode({ token: cookie.value, secret, salt: cookie.name });
    const expiresAt = typeof token?.exp === "number" ? token.exp * 1000 : 0;
    if (token && expiresAt > now) {
      session = {
        user: {
          id: String(token.uid ?? ""),
          role: (token.role as Session["user"]["role"]) ?? "viewer",
          sessionVersion: token.sv as number | undefined,
          name: token.name ?? null,
          email: token.email ?? null,
        },
        expires: new Date(expiresAt).toISOString(),
      };
      until = Math.min(until, expiresAt);
    }
  } catch {
    // A cookie that does not decrypt with our secret is no session (Auth.js treats it the same).
  }
  decodedSessions.set(key, { session, until });
  while (decodedSessions.size > MAX_ENTRIES)
    decodedSessions.delete(decodedSessions.keys().next().value as string);
  return { kind: "session", session };
}

/** Test seam. */
export function clearDecodedSessions(): void {
  decodedSessions.clear();
}
