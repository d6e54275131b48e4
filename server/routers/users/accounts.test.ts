import type { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import type { Session } from "next-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userOfSession } from "../../auth/session-user";
import type { DatabaseHandle } from "../../db/client";
import { users as usersTable } from "../../db/schema";
import { listAudit } from "../../services/audit";
import { authenticate, type PublicUser } from "../../services/users";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";

const policy = { maxFailures: 5, lockoutMinutes: 15 };

describe.each(testDatabaseKinds())("account administration on %s", (kind) => {
  let handle: DatabaseHandle;
  let admin: PublicUser;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    admin = (await createUser(handle.db, "admin")).user;
  });
  afterAll(async () => {
    await handle?.close();
  });

  const asAdmin = () => callerFor(handle.db, admin);
  const anonymous = () => callerFor(handle.db, null);

  async function sessionOf(email: string, password: string): Promise<Session> {
    const result = await authenticate(handle.db, { email, password }, null, policy);
    if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
    return {
      expires: new Date(Date.now() + 3_600_000).toISOString(),
      user: {
        id: String(result.user.id),
        role: result.user.role,
        sessionVersion: result.user.sessionVersion,
      },
    };
  }

  it("creates a user who sets a password once through the link and signs in", async () => {
    const { user, link } = await asAdmin().users.create({
      name: "Nia New",
      email: "Nia@Example.com",
      role: "manager",
    });
    expect(user).toMatchObject({ email: "nia@example.com", role: "manager" });
    expect(user).not.toHaveProperty("passwordLinkHash");
    expect(link.expiresAt.getTime()).toBeGreaterThan(Date.now() + 71 * 3_600_000);
    // No password yet: nothing signs in.
    expect(await authenticate(handle.db, { email: user.email, password: "" }, null, policy)).toMatchObject({
      ok: false,
    });
    expect(await anonymous().auth.passwordLink({ token: link.token })).toMatchObject({
      email: "nia@example.com",
      name: "Nia New",
    });
    expect(
      await anonymous().auth.setPassword({ token: link.token, password: "first real password" }),
    ).toEqual({
      email: "nia@example.com",
    });
    expect(await sessionOf(user.email, "first real password")).toBeTruthy();
    // One time only.
    await expect(
      anonymous().auth.setPassword({ token: link.token, password: "attacker password 1" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("already been used") });
    expect(await anonymous().auth.passwordLink({ token: link.token })).toBeNull();
    const { entries } = await listAudit(handle.db, { limit: 5, action: "user.created" });
    expect(entries[0]).toMatchObject({
      actorId: admin.id,
      details: { email: "nia@example.com", role: "manager" },
    });
  });

  it("refuses an expired link, a made-up one, and a common password through a link", async () => {
    const { user, link } = await asAdmin().users.create({
      name: "Late Larry",
      email: "larry@example.com",
      role: "viewer",
    });
    await expect(
      anonymous().auth.setPassword({ token: link.token, password: "password1234" }),
    ).rejects.toSatisfy((error: TRPCError) => error.code === "BAD_REQUEST");
    await handle.db
      .update(usersTable)
      .set({ passwordLinkExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(usersTable.id, user.id));
    expect(await anonymous().auth.passwordLink({ token: link.token })).toBeNull();
    await expect(
      anonymous().auth.setPassword({ token: link.token, password: "too late password" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      anonymous().auth.setPassword({ token: "x".repeat(43), password: "made up token pw" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("ends a deactivated user's live session at once and refuses their sign-in until reactivated", async () => {
    const { user, password } = await createUser(handle.db, "manager");
    const live = await sessionOf(user.email, password);
    expect(await userOfSession(handle.db, live)).toMatchObject({ id: user.id });

    await asAdmin().users.deactivate({ userId: user.id });

    expect(await userOfSession(handle.db, live)).toBeNull();
    expect(await authenticate(handle.db, { email: user.email, password }, null, policy)).toEqual({
      ok: false,
      reason: "deactivated",
    });
    await asAdmin().users.reactivate({ userId: user.id });
    expect(await userOfSession(handle.db, live)).toBeNull();
    expect(await sessionOf(user.email, password)).toBeTruthy();
    const { entries } = await listAudit(handle.db, { limit: 10 });
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(["user.deactivated", "user.reactivated"]),
    );
  });

  it("resets a password: the old one stops working, sessions end, the link sets a new one", async () => {
    const { user, password } = await createUser(handle.db, "viewer");
    const live = await sessionOf(user.email, password);
    const link = await asAdmin().users.resetPassword({ userId: user.id });
    expect(link.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000 + 5_000);
    expect(await userOfSession(handle.db, live)).toBeNull();
    expect(await authenticate(handle.db, { email: user.email, password }, null, policy)).toMatchObject({
      ok: false,
    });
    await anonymous().auth.setPassword({ token: link.token, password: "brand new password" });
    expect(await sessionOf(user.email, "brand new password")).toBeTruthy();
  });

  it("refuses to deactivate yourself or the last active admin", async () => {
    await expect(asAdmin().users.deactivate({ userId: admin.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "You cannot deactivate your own account",
    });
    const fresh = await createTestDatabase(kind);
    try {
      const { user: only } = await createUser(fresh.db, "admin");
      const { user: other } = await createUser(fresh.db, "admin");
      await callerFor(fresh.db, only).users.deactivate({ userId: other.id });
      // `other` is deactivated, so `only` is the last active admin and cannot be demoted.
      await expect(
        callerFor(fresh.db, only).users.setRole({ userId: only.id, role: "viewer" }),
      ).rejects.toMatchObject({
        code: "CONFLICT",
      });
    } finally {
      await fresh.close();
    }
  });

  it("lets an admin open and close sign-up, audited", async () => {
    expect(await asAdmin().users.signUpSetting()).toEqual({ open: false });
    await asAdmin().users.setSignUpOpen({ open: true });
    expect(await asAdmin().users.signUpSetting()).toEqual({ open: true });
    await asAdmin().users.setSignUpOpen({ open: false });
    const { entries } = await listAudit(handle.db, { limit: 2, action: "settings.update" });
    expect(entries.map((e) => e.details)).toEqual([{ value: { open: false } }, { value: { open: true } }]);
  });

  it("keeps every account procedure for admins, and validates input", async () => {
    const { user: viewer } = await createUser(handle.db, "viewer");
    const { user: manager } = await createUser(handle.db, "manager");
    for (const user of [viewer, manager]) {
      const api = callerFor(handle.db, user);
      const forbidden = { code: "FORBIDDEN" };
      await expect(
        api.users.create({ name: "X", email: "x@example.com", role: "admin" }),
      ).rejects.toMatchObject(forbidden);
      await expect(api.users.resetPassword({ userId: admin.id })).rejects.toMatchObject(forbidden);
      await expect(api.users.deactivate({ userId: admin.id })).rejects.toMatchObject(forbidden);
      await expect(api.users.reactivate({ userId: admin.id })).rejects.toMatchObject(forbidden);
      await expect(api.users.signUpSetting()).rejects.toMatchObject(forbidden);
      await expect(api.users.setSignUpOpen({ open: true })).rejects.toMatchObject(forbidden);
    }
    await expect(
      anonymous().auth.changePassword({ currentPassword: "a", newPassword: "b" }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(anonymous().auth.rename({ name: "Nobody" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(
      asAdmin().users.create({ name: "", email: "not-an-email", role: "viewer" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      asAdmin().users.create({ name: "Dup", email: admin.email, role: "viewer" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "An account with this email already exists" });
    await expect(asAdmin().users.deactivate({ userId: 999_999 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe.each(testDatabaseKinds())("your own account on %s", (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("changes your password after checking the current one, ending every session", async () => {
    const { user, password } = await createUser(handle.db, "viewer");
    const result = await authenticate(handle.db, { email: user.email, password }, null, policy);
    if (!result.ok) throw new Error("sign-in failed");
    const session: Session = {
      expires: new Date(Date.now() + 3_600_000).toISOString(),
      user: { id: String(user.id), role: user.role, sessionVersion: result.user.sessionVersion },
    };
    const api = callerFor(handle.db, user);
    await expect(
      api.auth.changePassword({ currentPassword: "not my password", newPassword: "my next password" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "This is not your current password" });
    await expect(
      api.auth.changePassword({ currentPassword: password, newPassword: "qwerty123456" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("most common passwords"),
    });
    expect(
      await api.auth.changePassword({ currentPassword: password, newPassword: "my next password" }),
    ).toEqual({
      email: user.email,
    });
    expect(await userOfSession(handle.db, session)).toBeNull();
    expect(await authenticate(handle.db, { email: user.email, password }, null, policy)).toMatchObject({
      ok: false,
    });
    expect(
      await authenticate(handle.db, { email: user.email, password: "my next password" }, null, policy),
    ).toMatchObject({ ok: true });
  });

  it("stops guessing the current password after the sign-in budget", async () => {
    const { user, password } = await createUser(handle.db, "viewer");
    const api = callerFor(handle.db, user, "198.51.100.77");
    for (let i = 0; i < policy.maxFailures; i++) {
      await expect(
        api.auth.changePassword({ currentPassword: `guess ${i}`, newPassword: "my next password" }),
      ).rejects.toMatchObject({ message: "This is not your current password" });
    }
    await expect(
      api.auth.changePassword({ currentPassword: password, newPassword: "my next password" }),
    ).rejects.toMatchObject({ message: expect.stringContaining("Too many wrong passwords") });
  });

  it("renames you, audited", async () => {
    const { user } = await createUser(handle.db, "viewer");
    expect(await callerFor(handle.db, user).auth.rename({ name: "  Grace H.  " })).toEqual({
      name: "Grace H.",
    });
    const { entries } = await listAudit(handle.db, { limit: 1, action: "user.renamed" });
    expect(entries[0]).toMatchObject({ actorId: user.id, details: { from: user.name, to: "Grace H." } });
  });
});
