import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { listAudit } from "../../services/audit";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";

describe.each(testDatabaseKinds())("users router on %s", (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("rejects anonymous callers with UNAUTHORIZED", async () => {
    const api = callerFor(handle.db, null);
    await expect(api.users.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(api.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("rejects viewers and managers calling admin procedures with FORBIDDEN", async () => {
    const { user: viewer } = await createUser(handle.db, "viewer");
    const { user: manager } = await createUser(handle.db, "manager");
    for (const user of [viewer, manager]) {
      const api = callerFor(handle.db, user);
      await expect(api.users.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(api.users.setRole({ userId: user.id, role: "admin" })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(api.audit.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await api.me()).toMatchObject({ id: user.id, role: user.role });
    }
  });

  it("lets an admin list users without exposing password hashes", async () => {
    const { user: admin } = await createUser(handle.db, "admin");
    const users = await callerFor(handle.db, admin).users.list();
    expect(users.some((u) => u.id === admin.id)).toBe(true);
    for (const u of users) expect(u).not.toHaveProperty("passwordHash");
  });

  it("changes a role and records who did it in the audit log", async () => {
    const { user: admin } = await createUser(handle.db, "admin");
    const { user: viewer } = await createUser(handle.db, "viewer");
    const updated = await callerFor(handle.db, admin, "198.51.100.4").users.setRole({
      userId: viewer.id,
      role: "manager",
    });
    expect(updated.role).toBe("manager");
    const { entries } = await listAudit(handle.db, { limit: 5, action: "user.role_changed" });
    expect(entries[0]).toMatchObject({
      actorId: admin.id,
      actorLabel: admin.email,
      targetId: String(viewer.id),
      ip: "198.51.100.4",
      details: { email: viewer.email, from: "viewer", to: "manager" },
    });
    // The new role takes effect for the user's next call.
    await expect(callerFor(handle.db, updated).users.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses to demote the last admin", async () => {
    const fresh = await createTestDatabase(kind);
    try {
      const { user: admin } = await createUser(fresh.db, "admin");
      await expect(
        callerFor(fresh.db, admin).users.setRole({ userId: admin.id, role: "viewer" }),
      ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("at least one admin") });
    } finally {
      await fresh.close();
    }
  });

  it("validates input with zod before touching the database", async () => {
    const { user: admin } = await createUser(handle.db, "admin");
    const api = callerFor(handle.db, admin);
    // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
    await expect(api.users.setRole({ userId: -1, role: "owner" as any })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(api.users.setRole({ userId: 999_999, role: "viewer" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
