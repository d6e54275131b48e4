import { describe, expect, it } from "vitest";
import { gateDecision, REFRESH_EVERY_MS } from "./proxy-gate";

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
