/**
 * GET /api/health as a load balancer calls it: 200 after a real query round trip on each database
 * engine, 503 without internals when the database does not answer.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/server/db/client";
import { createTestDatabase, testDatabaseKinds } from "@/server/testing/database";

const app = vi.hoisted(() => ({ database: null as Promise<unknown> | null }));
vi.mock("@/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/db/client")>();
  return { ...original, getDatabase: () => app.database };
});

const { GET } = await import("./route");

describe.each(testDatabaseKinds())("GET /api/health on %s", (kind) => {
  let handle: DatabaseHandle | null = null;
  afterEach(async () => {
    await handle?.close().catch(() => {});
    handle = null;
  });

  it("answers 200 with the database engine and the version after a query, never cached", async () => {
    handle = await createTestDatabase(kind);
    app.database = Promise.resolve(handle);
    const response = await GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok", db: kind, version: expect.any(String) });
  });

  it("answers 503 when the database stops answering, saying so without the driver's message", async () => {
    const closed = await createTestDatabase(kind);
    const dropped = closed.close();
    // Between closing and dropping: the handle exists, its queries fail.
    app.database = Promise.resolve(closed);
    await dropped;
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    let labels: unknown[];
    let response: Response;
    try {
      response = await GET();
      labels = logged.mock.calls.map(([label]) => label);
    } finally {
      logged.mockRestore();
    }
    expect(response.status).toBe(503);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      status: "error",
      db: process.env.DATABASE_URL ? "postgres" : "pglite",
      version: expect.any(String),
      error: "database unavailable",
    });
    expect(labels).toEqual(["[health] database check failed"]);
  });

  it("answers 503 when the database cannot be opened at all", async () => {
    app.database = Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
    app.database.catch(() => {});
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const response = await GET();
      expect(response.status).toBe(503);
      expect(JSON.stringify(await response.json())).not.toContain("ECONNREFUSED");
    } finally {
      logged.mockRestore();
    }
  });
});
