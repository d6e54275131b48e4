/**
 * What the route guard (proxy.ts) does with a page request, decided from the session cookie's
 * cached decode (session-cookie.ts) instead of a full Auth.js `auth()` per request: Auth.js'
 * request initialisation and the re-encryption of the refreshed cookie ran on every page and
 * prefetch, on top of the page's own session read.
 *
 * - `pass`: a live session whose cookie was refreshed less than REFRESH_EVERY_MS ago;
 * - `refresh`: a live session that is due for a new cookie (the 12-hour expiry slides, as it did
 *   when Auth.js re-issued the cookie on every request), or a cookie only Auth.js can read (split in
 *   chunks): the guard hands the request to Auth.js;
 * - `sign-in`: no session, or one that does not decrypt or has expired.
 *
 * Whether the session is still live in the database (signed out everywhere, deactivated, role
 * changed) is checked by the page itself (server/auth/current-user.ts) on every request.
 */
import type { SessionLookup } from "./session-cookie";

export const REFRESH_EVERY_MS = 60 * 60_000;

export type GateDecision = "pass" | "refresh" | "sign-in";

export function gateDecision(lookup: SessionLookup, maxAgeSeconds: number, now = Date.now()): GateDecision {
  if (lookup.kind === "fallback") return "refresh";
  const expiresAt = lookup.session ? Date.parse(lookup.session.expires) : Number.NaN;
  if (!lookup.session?.user?.id || !(expiresAt > now)) return "sign-in";
  // The cookie was issued (or last refreshed) at expiresAt - maxAge.
  const issuedAt = expiresAt - maxAgeSeconds * 1000;
  return now - issuedAt >= REFRESH_EVERY_MS ? "refresh" : "pass";
}
