import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { apiKeys, apiRequests, auditLog } from "../../db/schema";
import { authenticateApiKey, hashApiKey } from "../../services/api-keys";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";

describe.each(testDatabaseKinds())("apiKeys router on %s", (kind) => {
  let handle: DatabaseHandle;
  const users: Record<"admin" | "manager" | "viewer", Awaited<ReturnType<typeof createUser>>["user"]> =
    {} as never;

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    for (const role of ["admin", "manager", "viewer"] as const)
      users[role] = (await createUser(handle.db, role)).user;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("creates a key whose secret is shown once and stored only as its SHA-256, audited", async () => {
    const admin = callerFor(handle.db, users.admin);
    const created = await admin.apiKeys.create({
      name: "  CRM sync ",
      scopes: ["predict:batch", "predict", "predict"],
    });
    expect(created.secret).toMatch(/^cg_live_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: "CRM sync", scopes: ["predict", "predict:batch"] });
    expect(created.secret.startsWith(created.prefix)).toBe(true);
    expect(created.prefix.length).toBeLessThan(20);

    const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row.keyHash).toBe(hashApiKey(created.secret));
    expect(JSON.stringify(row)).not.toContain(created.secret);

    const listed = await admin.apiKeys.list();
    const entry = listed.find((k) => k.id === created.id);
    expect(entry).toMatchObject({
      name: "CRM sync",
      prefix: created.prefix,
      createdBy: users.admin.email,
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(JSON.stringify(listed)).not.toContain(row.keyHash);

    const audits = await handle.db.select().from(auditLog).where(eq(auditLog.action, "api_key.create"));
    expect(audits.at(-1)).toMatchObject({ actorId: users.admin.id, targetId: String(created.id) });
    expect(JSON.stringify(audits)).not.toContain(created.secret);
  });

  it("keys are unique and random", async () => {
    const admin = callerFor(handle.db, users.admin);
    const a = await admin.apiKeys.create({ name: "A", scopes: ["predict"] });
    const b = await admin.apiKeys.create({ name: "B", scopes: ["predict"] });
    expect(a.secret).not.toBe(b.secret);
    expect(a.prefix).not.toBe(b.prefix);
  });

  it("refuses an empty name or no scope, naming the field", async () => {
    const admin = callerFor(handle.db, users.admin);
    await expect(admin.apiKeys.create({ name: " ", scopes: ["predict"] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(admin.apiKeys.create({ name: "x", scopes: [] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      admin.apiKeys.create({ name: "x", scopes: ["admin"] as unknown as ["predict"] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("revokes a key: authentication fails at once, the audit log says who, revoking twice is harmless", async () => {
    const admin = callerFor(handle.db, users.admin);
    const created = await admin.apiKeys.create({ name: "To revoke", scopes: ["predict"] });
    expect(await authenticateApiKey(handle.db, created.secret)).toMatchObject({
      ok: true,
      key: { id: created.id },
    });
    const first = await admin.apiKeys.revoke({ id: created.id });
    expect(first.revokedAt).toBeInstanceOf(Date);
    expect(await authenticateApiKey(handle.db, created.secret)).toEqual({ ok: false, reason: "revoked" });
    const second = await admin.apiKeys.revoke({ id: created.id });
    expect(second.revokedAt?.getTime()).toBe(first.revokedAt?.getTime());
    const audits = await handle.db.select().from(auditLog).where(eq(auditLog.action, "api_key.revoke"));
    expect(audits.filter((a) => a.targetId === String(created.id))).toHaveLength(1);
    await expect(admin.apiKeys.revoke({ id: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("records a key's last use at most once a minute, without a write per call", async () => {
    const created = await callerFor(handle.db, users.admin).apiKeys.create({
      name: "Touched",
      scopes: ["predict"],
    });
    const lastUsed = async () => {
      await new Promise((r) => setTimeout(r, 50)); // the write is not awaited by authenticate
      const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
      return row.lastUsedAt;
    };
    expect(await lastUsed()).toBeNull();
    await authenticateApiKey(handle.db, created.secret);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await handle.db.update(apiKeys).set({ lastUsedAt: null }).where(eq(apiKeys.id, created.id));
    for (let i = 0; i < 5; i++) await authenticateApiKey(handle.db, created.secret);
    expect(await lastUsed()).toBeNull();
  });

  it("authenticates by hash: unknown, malformed and missing keys are refused", async () => {
    expect(await authenticateApiKey(handle.db, null)).toEqual({ ok: false, reason: "missing" });
    expect(await authenticateApiKey(handle.db, "sk_live_abc")).toEqual({ ok: false, reason: "malformed" });
    expect(await authenticateApiKey(handle.db, `cg_live_${"x".repeat(43)}`)).toEqual({
      ok: false,
      reason: "unknown",
    });
  });

  it("lists calls and errors of the last 24 hours per key", async () => {
    const admin = callerFor(handle.db, users.admin);
    const created = await admin.apiKeys.create({ name: "Counted", scopes: ["predict"] });
    const row = { endpoint: "/api/v1/predict", customers: 1, latencyMs: 3, apiKeyId: created.id };
    await handle.db.insert(apiRequests).values([
      { ...row, status: 200 },
      { ...row, status: 200 },
      { ...row, status: 400, errorCode: "unknown_field" },
      { ...row, status: 200, createdAt: new Date(Date.now() - 30 * 3600 * 1000) },
    ]);
    const entry = (await admin.apiKeys.list()).find((k) => k.id === created.id);
    expect(entry).toMatchObject({ calls24h: 3, errors24h: 1 });
    const errors = await admin.apiKeys.recentErrors();
    expect(errors[0]).toMatchObject({
      apiKeyId: created.id,
      keyName: "Counted",
      status: 400,
      errorCode: "unknown_field",
    });
  });

  it("managers and viewers cannot list, create or revoke keys", async () => {
    // A key of its own, not revoked: the refused revocations below must leave it so.
    const someKey = await callerFor(handle.db, users.admin).apiKeys.create({
      name: "Not theirs",
      scopes: ["predict"],
    });
    for (const role of ["manager", "viewer"] as const) {
      const caller = callerFor(handle.db, users[role]);
      await expect(caller.apiKeys.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.apiKeys.recentErrors()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.apiKeys.create({ name: "Mine", scopes: ["predict"] })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(caller.apiKeys.revoke({ id: someKey.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    await expect(callerFor(handle.db, null).apiKeys.examples()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    const listed = (await callerFor(handle.db, users.admin).apiKeys.list()).find((k) => k.id === someKey.id);
    expect(listed).toMatchObject({ id: someKey.id, revokedAt: null });
  });

  it("gives every signed-in user the API page's examples (empty without a champion)", async () => {
    expect(await callerFor(handle.db, users.viewer).apiKeys.examples()).toEqual([]);
  });
});
