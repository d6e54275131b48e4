/**
 * Next.js loads our modules once per bundle; `vi.resetModules()` + a fresh import gives the same
 * situation in a test: two copies of one module in one process.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database, DatabaseHandle } from "./db/client";
import { createTestDatabase } from "./testing/database";
import { createUser } from "./testing/factories";

async function freshCopy<T>(path: string): Promise<T> {
  vi.resetModules();
  return (await import(/* @vite-ignore */ path)) as T;
}

describe("processWide / perDatabase", () => {
  it("hands every copy of a module the same value, created once", async () => {
    type Module = typeof import("./process-wide");
    const a = await freshCopy<Module>("./process-wide");
    const b = await freshCopy<Module>("./process-wide");
    expect(a).not.toBe(b);
    let created = 0;
    const name = `test.${Math.random()}`;
    const first = a.processWide(name, () => ({ n: ++created }));
    const second = b.processWide(name, () => ({ n: ++created }));
    expect(second).toBe(first);
    expect(created).toBe(1);
  });

  it("keeps one value per database object, shared across copies, until reset", async () => {
    type Module = typeof import("./process-wide");
    const a = await freshCopy<Module>("./process-wide");
    const b = await freshCopy<Module>("./process-wide");
    const name = `test.${Math.random()}`;
    const cacheA = a.perDatabase(name, () => new Map<string, number>());
    const cacheB = b.perDatabase(name, () => new Map<string, number>());
    const db1 = {} as Database;
    const db2 = {} as Database;
    cacheA.of(db1).set("x", 1);
    expect(cacheB.of(db1).get("x")).toBe(1);
    expect(cacheB.of(db2).get("x")).toBeUndefined();
    expect(cacheA.peek({} as Database)).toBeUndefined();
    cacheB.reset();
    expect(cacheA.peek(db1)).toBeUndefined();
  });
});

describe("API key cache across module copies (PGlite)", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase("pglite");
  }, 60_000);
  afterAll(async () => handle?.close());

  it("stops a key at once in every copy when one copy revokes it", async () => {
    type ApiKeys = typeof import("./services/api-keys");
    // The REST API's copy (the Node server's fast path lives in the instrumentation bundle)…
    const restApi = await freshCopy<ApiKeys>("./services/api-keys");
    // …and the admin's copy (tRPC route bundle).
    const admin = await freshCopy<ApiKeys>("./services/api-keys");
    expect(restApi).not.toBe(admin);
    const { user } = await createUser(handle.db, "admin");
    const actor = { id: user.id, label: user.email };
    const key = await admin.createApiKey(handle.db, actor, { name: "CRM", scopes: ["predict"] });

    const before = await restApi.authenticateApiKey(handle.db, key.secret);
    expect(before.ok).toBe(true); // now cached in the REST API's copy
    await admin.revokeApiKey(handle.db, actor, key.id);
    const after = await restApi.authenticateApiKey(handle.db, key.secret);
    expect(after).toEqual({ ok: false, reason: "revoked" });
  });
});
