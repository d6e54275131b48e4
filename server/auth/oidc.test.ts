import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/client";
import { users } from "../db/schema";
import { findOrCreateOidcUser } from "../services/users";
import { createTestDatabase, testDatabaseKinds } from "../testing/database";
import { createUser } from "../testing/factories";
import { checkOidcSignIn, isEmailVerified } from "./oidc";

describe("isEmailVerified", () => {
  it("accepts only a provider's explicit true (boolean, or Cognito userinfo's string)", () => {
    expect(isEmailVerified({ email_verified: true })).toBe(true);
    expect(isEmailVerified({ email_verified: "true" })).toBe(true);
    for (const profile of [
      { email_verified: false },
      { email_verified: "false" },
      {},
      null,
      "x",
      { email_verified: 1 },
    ])
      expect(isEmailVerified(profile)).toBe(false);
  });
});

describe.each(testDatabaseKinds())("OIDC sign-in on %s", (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("refuses to link an unverified address to an existing account (the admin's included)", async () => {
    const { user: admin } = await createUser(handle.db, "admin", { email: "owner@example.com" });
    const verdict = await checkOidcSignIn(handle.db, {
      email: "OWNER@example.com",
      profile: { email: "OWNER@example.com", email_verified: false },
    });
    expect(verdict).toBe("/sign-in?error=email-not-verified");
    // Without the claim at all: refused too.
    expect(await checkOidcSignIn(handle.db, { email: admin.email, profile: { email: admin.email } })).toBe(
      "/sign-in?error=email-not-verified",
    );
    const [row] = await handle.db.select().from(users).where(eq(users.id, admin.id));
    expect(row.lastSignInAt).toBeNull();
  });

  it("links a verified address to the existing account, keeping its role", async () => {
    const { user: manager } = await createUser(handle.db, "manager", { email: "verified@example.com" });
    expect(
      await checkOidcSignIn(handle.db, {
        email: "verified@example.com",
        profile: { email_verified: "true" },
      }),
    ).toBe(true);
    const linked = await findOrCreateOidcUser(handle.db, { email: "verified@example.com", name: "V" });
    expect(linked.id).toBe(manager.id);
    expect(linked.role).toBe("manager");
  });

  it("refuses a verified address whose account is deactivated", async () => {
    const { user } = await createUser(handle.db, "viewer", { email: "gone@example.com" });
    await handle.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, user.id));
    expect(
      await checkOidcSignIn(handle.db, { email: "gone@example.com", profile: { email_verified: true } }),
    ).toBe("/sign-in?error=deactivated");
  });

  it("refuses an identity without an address", async () => {
    expect(await checkOidcSignIn(handle.db, { email: undefined, profile: { email_verified: true } })).toBe(
      "/sign-in?error=email-not-verified",
    );
  });
});
