import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "../db/client";
import { users } from "../db/schema";
import { resetServerEnvCache } from "../env";
import { createTestDatabase, testDatabaseKinds } from "../testing/database";
import { createUser } from "../testing/factories";
import { describePasswordLink } from "./password-links";
import {
  AccountStateError,
  createFirstAdmin,
  findOrCreateOidcUser,
  isSignUpOpen,
  publicSignUp,
  SignUpClosedError,
} from "./users";

const newcomer = {
  name: "First Visitor",
  email: "first@example.com",
  password: "a long and unusual passphrase 42",
};

describe.each(testDatabaseKinds())("the first admin on %s", (kind) => {
  let handle: DatabaseHandle;
  beforeEach(async () => {
    handle = await createTestDatabase(kind); // empty: no users
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    resetServerEnvCache();
    await handle?.close();
  });

  const onLambda = () => {
    vi.stubEnv("AWS_LAMBDA_FUNCTION_NAME", "churnguard-production-web");
    resetServerEnvCache();
  };

  it("on Lambda, an empty database does not open sign-up, and the first SSO account is a viewer", async () => {
    onLambda();
    expect(await isSignUpOpen(handle.db)).toBe(false);
    await expect(publicSignUp(handle.db, newcomer, "203.0.113.9")).rejects.toBeInstanceOf(SignUpClosedError);
    expect(await handle.db.select().from(users)).toHaveLength(0);
    const sso = await findOrCreateOidcUser(handle.db, { email: "sso@example.com", name: "SSO" });
    expect(sso.role).toBe("viewer");
  });

  it("elsewhere, the first sign-up still becomes admin (the zero-configuration mode)", async () => {
    vi.stubEnv("AWS_LAMBDA_FUNCTION_NAME", "");
    expect(await isSignUpOpen(handle.db)).toBe(true);
    await publicSignUp(handle.db, newcomer, null);
    const [row] = await handle.db.select().from(users).where(eq(users.email, newcomer.email));
    expect(row.role).toBe("admin");
  });

  it("admin:create makes an admin with a one-time link, and a second run changes nothing", async () => {
    onLambda();
    const first = await createFirstAdmin(handle.db, { email: "Owner@Example.com", name: "Owner" });
    expect(first.status).toBe("created");
    if (first.status !== "created") return;
    expect(first.user).toMatchObject({ email: "owner@example.com", role: "admin" });
    expect(await describePasswordLink(handle.db, first.link.token)).toMatchObject({
      email: "owner@example.com",
    });
    const again = await createFirstAdmin(handle.db, { email: "owner@example.com" });
    expect(again.status).toBe("already-admin");
    expect(await handle.db.select().from(users)).toHaveLength(1);
  });

  it("refuses to turn an existing account into an admin unless asked to promote it", async () => {
    const { user } = await createUser(handle.db, "viewer", { email: "someone@example.com" });
    await expect(createFirstAdmin(handle.db, { email: "someone@example.com" })).rejects.toThrow(
      AccountStateError,
    );
    const [unchanged] = await handle.db.select().from(users).where(eq(users.id, user.id));
    expect(unchanged.role).toBe("viewer");
    const promoted = await createFirstAdmin(handle.db, { email: "someone@example.com", promote: true });
    expect(promoted).toMatchObject({ status: "promoted", link: null, user: { role: "admin" } });
    // Their open sessions (issued as a viewer) end: the session version moved on.
    const [row] = await handle.db.select().from(users).where(eq(users.id, user.id));
    expect(row.sessionVersion).toBe(unchanged.sessionVersion + 1);
  });

  it("refuses a malformed address without writing anything", async () => {
    await expect(createFirstAdmin(handle.db, { email: "not an email" })).rejects.toThrow();
    expect(await handle.db.select().from(users)).toHaveLength(0);
  });
});
