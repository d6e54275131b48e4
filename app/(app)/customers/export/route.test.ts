/**
 * GET /customers/export as Next.js calls it, signed in through the real Auth.js config (a session
 * cookie from the credentials sign-in, read back by auth() and the session callback). Status codes
 * and the file's shape only: which columns the file has is the export service's business.
 */
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseCsv } from "@/lib/ml/data";
import type { DatabaseHandle } from "@/server/db/client";
import { rootLogger } from "@/server/log";
import { useTemporaryDataDir } from "@/server/services/datasets/test-helpers";
import { signInCookie } from "@/server/testing/auth-session";
import { createTestDatabase, testDatabaseKinds } from "@/server/testing/database";
import { createUser } from "@/server/testing/factories";
import { routeHandler } from "@/server/testing/request-scope";
import { createTrainedDataset, type TrainedDataset } from "@/server/testing/trained-dataset";

const app = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("next/headers", async () => (await import("@/server/testing/request-scope")).nextHeadersStub);
vi.mock("@/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/db/client")>();
  return { ...original, getDb: async () => app.db };
});

const GET = routeHandler((await import("./route")).GET);

const exportOf = (query: string, cookie: string | null) =>
  GET(new Request(`http://localhost/customers/export${query}`, { headers: cookie ? { cookie } : {} }));

describe.each(testDatabaseKinds())("GET /customers/export on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  let viewerCookie: string;
  let viewerId: number;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    app.db = handle.db;
    const { user: manager } = await createUser(handle.db, "manager");
    const viewer = await createUser(handle.db, "viewer");
    viewerId = viewer.user.id;
    viewerCookie = await signInCookie(viewer.user.email, viewer.password);
    trained = await createTrainedDataset(
      handle.db,
      { id: manager.id, label: manager.email },
      { name: "Export Q3", rows: 300, algorithms: ["logistic_regression"] },
    );
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("answers 401 without a session, and with a session cookie sealed with another secret", async () => {
    const query = `?dataset=${trained.datasetId}`;
    let response = await exportOf(query, null);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: "UNAUTHORIZED", message: "Sign in to export customers." },
    });
    const forged = await encode({
      token: { uid: String(viewerId), role: "admin" },
      secret: "not-the-apps-secret-0123456789abcdefgh",
      salt: "authjs.session-token",
    });
    // Auth.js reports the cookie it could not open through our logger: keep it out of the test
    // output, but check it was reported.
    const root = rootLogger();
    const makeChild = root.child.bind(root);
    const authErrors: string[] = [];
    const children = vi.spyOn(root, "child").mockImplementation((bindings, options) => {
      const child = makeChild(bindings, options);
      if (bindings.component === "auth") {
        vi.spyOn(child, "error").mockImplementation(((_: unknown, message?: string) => {
          authErrors.push(String(message));
        }) as never);
      }
      return child;
    });
    try {
      response = await exportOf(query, `authjs.session-token=${forged}`);
    } finally {
      children.mockRestore();
    }
    expect(response.status).toBe(401);
    expect(authErrors).toEqual(["Auth.js reported an error"]);
  });

  it("answers 400 without a dataset and for a filter column the dataset does not have", async () => {
    let response = await exportOf("", viewerCookie);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({
      code: "BAD_REQUEST",
      message: "Choose a dataset (?dataset=<id>).",
    });
    response = await exportOf(`?dataset=${trained.datasetId}&f.NoSuchColumn=x`, viewerCookie);
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("BAD_REQUEST");
  });

  it("answers 404 for a dataset that does not exist", async () => {
    const response = await exportOf(`?dataset=${trained.datasetId + 100_000}`, viewerCookie);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("NOT_FOUND");
  });

  it("streams a viewer the dataset's customers as a CSV attachment, one row per customer under a header", async () => {
    const response = await exportOf(`?dataset=${trained.datasetId}`, viewerCookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="Export-Q3-customers.csv"',
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = (await response.text()).replace(/^\ufeff/, "");
    const parsed = parseCsv(text);
    expect(parsed.columns.length).toBeGreaterThan(1);
    expect(parsed.rows.length).toBeGreaterThan(0);
    expect(parsed.rows.length).toBeLessThanOrEqual(300);
    for (const row of parsed.rows) expect(row).toHaveLength(parsed.columns.length);
    const exportedIds = new Set(parsed.rows.map((row) => row[0]));
    const importedIds = new Set(
      trained.csv
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split(",")[0]),
    );
    expect([...exportedIds].filter((id) => !importedIds.has(id))).toEqual([]);
  });
});
