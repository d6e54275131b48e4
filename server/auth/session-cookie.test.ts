import { encode } from "next-auth/jwt";
import { beforeEach, describe, expect, it } from "vitest";
import { clearDecodedSessions, sessionFromCookies } from "./session-cookie";
import { sessionClaims } from "./session-user";

const secret = "a-test-secret-of-at-least-thirty-two-characters";
const name = "authjs.session-token";

async function cookieFor(claims: Record<string, unknown>, maxAge = 3600, key = secret, salt = name) {
  return { name: salt, value: await encode({ token: claims, secret: key, salt, maxAge }) };
}

beforeEach(() => clearDecodedSessions());

describe("the session cookie of a page request", () => {
  it("decodes to the claims the session check needs, as Auth.js' session callback maps them", async () => {
    const cookie = await cookieFor({ uid: "42", role: "manager", sv: 3, name: "Ana", email: "ana@x.test" });
    const lookup = await sessionFromCookies([{ name: "theme", value: "dark" }, cookie], secret);
    expect(lookup.kind).toBe("session");
    const session = lookup.kind === "session" ? lookup.session : null;
    expect(session?.user).toMatchObject({
      id: "42",
      role: "manager",
      sessionVersion: 3,
      email: "ana@x.test",
    });
    expect(sessionClaims(session)).toEqual({ userId: 42, sessionVersion: 3 });
  });

  it("is no session without a cookie, with another secret's cookie or with an expired one", async () => {
    expect(await sessionFromCookies([], secret)).toEqual({ kind: "session", session: null });
    const forged = await cookieFor({ uid: "1", sv: 0 }, 3600, "another-secret-of-at-least-thirty-two-chars");
    expect(await sessionFromCookies([forged], secret)).toEqual({ kind: "session", session: null });
    const expired = await cookieFor({ uid: "1", sv: 0 }, 1);
    const later = Date.now() + 120_000;
    expect(await sessionFromCookies([expired], secret, later)).toEqual({ kind: "session", session: null });
  });

  it("decodes a cookie value once, and again after a minute or past the token's expiry", async () => {
    const cookie = await cookieFor({ uid: "7", sv: 1 }, 90);
    const now = Date.now();
    const first = await sessionFromCookies([cookie], secret, now);
    const again = await sessionFromCookies([cookie], secret, now + 1_000);
    expect(again).toEqual(first);
    if (first.kind !== "session" || again.kind !== "session") throw new Error("expected sessions");
    expect(again.session).toBe(first.session); // the cached object, not a second decode
    const afterMinute = await sessionFromCookies([cookie], secret, now + 61_000);
    if (afterMinute.kind !== "session") throw new Error("expected a session");
    expect(afterMinute.session).not.toBe(first.session);
    expect(afterMinute.session?.user.id).toBe("7");
    // The token itself expires at 90 s: past that it is no session even though it was cached.
    expect(await sessionFromCookies([cookie], secret, now + 95_000)).toEqual({
      kind: "session",
      session: null,
    });
  });

  it("leaves a cookie split in chunks to Auth.js", async () => {
    expect(
      await sessionFromCookies(
        [
          { name: "authjs.session-token.0", value: "a" },
          { name: "authjs.session-token.1", value: "b" },
        ],
        secret,
      ),
    ).toEqual({ kind: "fallback" });
  });

  it("reads the secure cookie name used over HTTPS", async () => {
    const cookie = await cookieFor({ uid: "9", sv: 2 }, 3600, secret, "__Secure-authjs.session-token");
    const lookup = await sessionFromCookies([cookie], secret);
    expect(lookup.kind === "session" && lookup.session?.user.id).toBe("9");
  });
});
