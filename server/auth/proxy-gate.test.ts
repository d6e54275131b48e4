import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { gateDecision, REFRESH_EVERY_MS } from "./proxy-gate";
import { clearDecodedSessions, sessionFromCookies } from "./session-cookie";

const MAX_AGE_S = 12 * 60 * 60;
const now = Date.parse("2026-12-06T03:00:00Z");
const issuedAgo = (ms: number) => ({
  kind: "session" as const,
  session: {
    user: { id: "7", role: "viewer" as const, sessionVersion: 1, name: "V", email: "v@example.com" },
    expires: new Date(now - ms + MAX_AGE_S * 1000).toISOString(),
  },
});

describe("the route guard's decision", () => {
  it("lets a recently refreshed session through without Auth.js", () => {
    expect(gateDecision(issuedAgo(0), MAX_AGE_S, now)).toBe("pass");
    expect(gateDecision(issuedAgo(REFRESH_EVERY_MS - 1), MAX_AGE_S, now)).toBe("pass");
  });

  it("hands a session due for a new cookie to Auth.js, so the expiry keeps sliding", () => {
    expect(gateDecision(issuedAgo(REFRESH_EVERY_MS), MAX_AGE_S, now)).toBe("refresh");
    expect(gateDecision(issuedAgo(MAX_AGE_S * 1000 - 1), MAX_AGE_S, now)).toBe("refresh");
  });

  it("sends anonymous, undecryptable and expired sessions to sign-in", () => {
    expect(gateDecision({ kind: "session", session: null }, MAX_AGE_S, now)).toBe("sign-in");
    expect(gateDecision(issuedAgo(MAX_AGE_S * 1000), MAX_AGE_S, now)).toBe("sign-in");
    const noUser = {
      kind: "session" as const,
      session: { user: { id: "" }, expires: issuedAgo(0).session.expires },
    };
    expect(gateDecision(noUser as never, MAX_AGE_S, now)).toBe("sign-in");
  });

  it("lets Auth.js read a cookie split in chunks", () => {
    expect(gateDecision({ kind: "fallback" }, MAX_AGE_S, now)).toBe("refresh");
  });
});

describe("the route guard with real cookies", () => {
  const secret = "a-test-secret-of-at-least-thirty-two-characters";
  const name = "authjs.session-token";
  const cookieFor = async (claims: Record<string, unknown>) => ({
    name,
    value: await encode({ token: claims, secret, salt: name, maxAge: MAX_AGE_S }),
  });

  it("passes fresh cookies of two roles, each decoded as its own user (nothing shared across users)", async () => {
    clearDecodedSessions();
    const viewer = await cookieFor({ uid: "1", role: "viewer", sv: 1, email: "v@x.test" });
    const manager = await cookieFor({ uid: "2", role: "manager", sv: 1, email: "m@x.test" });
    for (let i = 0; i < 3; i++) {
      const asViewer = await sessionFromCookies([viewer], secret);
      const asManager = await sessionFromCookies([manager], secret);
      expect(gateDecision(asViewer, MAX_AGE_S)).toBe("pass");
      expect(gateDecision(asManager, MAX_AGE_S)).toBe("pass");
      expect(asViewer.kind === "session" && asViewer.session?.user).toMatchObject({
        id: "1",
        role: "viewer",
      });
      expect(asManager.kind === "session" && asManager.session?.user).toMatchObject({
        id: "2",
        role: "manager",
      });
    }
  });

  it("sends a cookie signed with another secret to sign-in", async () => {
    const forged = {
      name,
      value: await encode({
        token: { uid: "2", role: "admin", sv: 1 },
        secret: `${secret}-other`,
        salt: name,
      }),
    };
    expect(gateDecision(await sessionFromCookies([forged], secret), MAX_AGE_S)).toBe("sign-in");
  });
});
