/**
 * POST /api/v1/datasets/{id}/versions, called as Next.js calls it, against a real database: a
 * nightly export becomes the dataset's next version (keeping the target and identifier), only
 * with a datasets:write key, and a bad file leaves nothing behind.
 */
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateTelcoLikeRows, toCsv } from "@/data/generate-sample";
import type { DatabaseHandle } from "@/server/db/client";
import { auditLog, datasetVersions } from "@/server/db/schema";
import { createApiKey } from "@/server/services/api-keys";
import { importDatasetFromFile } from "@/server/services/datasets";
import { useTemporaryDataDir } from "@/server/services/datasets/test-helpers";
import { createTestDatabase, testDatabaseKinds } from "@/server/testing/database";
import { createUser } from "@/server/testing/factories";

const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/db/client")>();
  return { ...original, getDb: async () => state.db };
});
const { POST } = await import("./route");

const csvOf = (rows: number, seed: number) => toCsv(generateTelcoLikeRows(rows, seed));

function post(
  datasetId: string,
  body: string | null,
  key: string | null,
  headers: Record<string, string> = {},
) {
  const request = new Request(`http://localhost/api/v1/datasets/${datasetId}/versions?name=nightly.csv`, {
    method: "POST",
    headers: { "content-type": "text/csv", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body,
  });
  return POST(request, { params: Promise.resolve({ id: datasetId }) });
}

describe.each(testDatabaseKinds())("POST /api/v1/datasets/{id}/versions on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let writeKey: string;
  let predictKey: string;
  let datasetId: number;
  let otherId: number;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    state.db = handle.db;
    const { user } = await createUser(handle.db, "admin");
    const actor = { id: user.id, label: user.email };
    // Another dataset first, so the ids under test differ from it.
    otherId = (
      await importDatasetFromFile(handle.db, actor, {
        bytes: new TextEncoder().encode(csvOf(120, 3)),
        name: "Other",
      })
    ).datasetId;
    datasetId = (
      await importDatasetFromFile(handle.db, actor, {
        bytes: new TextEncoder().encode(csvOf(150, 4)),
        name: "Nightly",
      })
    ).datasetId;
    writeKey = (await createApiKey(handle.db, actor, { name: "exporter", scopes: ["datasets:write"] }))
      .secret;
    predictKey = (await createApiKey(handle.db, actor, { name: "scorer", scopes: ["predict"] })).secret;
  }, 60_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  const versionsOf = (id: number) =>
    handle.db
      .select()
      .from(datasetVersions)
      .where(eq(datasetVersions.datasetId, id))
      .orderBy(desc(datasetVersions.version));

  it("imports the body as the next version, keeping the target and identifier", async () => {
    const response = await post(String(datasetId), csvOf(200, 5), writeKey);
    expect(response.status).toBe(201);
    const body = await response.json();
    const [latest, first] = await versionsOf(datasetId);
    expect(body).toEqual({
      dataset_id: datasetId,
      dataset_version_id: latest.id,
      version: 2,
      rows: 200,
      positive_rate: expect.any(Number),
    });
    expect(latest.fileName).toBe("nightly.csv");
    const schema = latest.schema as { target: string; identifier: string };
    expect(schema.target).toBe((first.schema as { target: string }).target);
    expect(schema.identifier).toBe((first.schema as { identifier: string }).identifier);
    expect(response.headers.get("x-ratelimit-limit")).not.toBeNull();
    const [entry] = await handle.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(entry.actorLabel).toBe('api key "exporter"');
    expect(await versionsOf(otherId)).toHaveLength(1);
  });

  it("refuses callers without a datasets:write key", async () => {
    expect((await post(String(datasetId), csvOf(50, 6), null)).status).toBe(401);
    const forbidden = await post(String(datasetId), csvOf(50, 6), predictKey);
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.code).toBe("insufficient_scope");
  });

  it("answers 404 for an unknown dataset and 400 for a bad file, writing nothing", async () => {
    const before = (await versionsOf(datasetId)).length;
    expect((await post("999999", csvOf(50, 7), writeKey)).status).toBe(404);
    expect((await post("__proto__", csvOf(50, 7), writeKey)).status).toBe(404);
    const empty = await post(String(datasetId), "", writeKey);
    expect(empty.status).toBe(400);
    const oneClass = await post(String(datasetId), "customerID,tenure,Churn\nA,1,No\nB,2,No\n", writeKey);
    expect(oneClass.status).toBe(400);
    expect((await oneClass.json()).error.message).toMatch(/./);
    const form = await post(String(datasetId), "--x--", writeKey, {
      "content-type": "multipart/form-data; boundary=x",
    });
    expect(form.status).toBe(415);
    expect(await versionsOf(datasetId)).toHaveLength(before);
  });
});
