/**
 * The upload and download routes called as Next.js calls them (real Requests, streamed bodies);
 * sessions are real Auth.js cookies (signed in through the app's config), the database, storage
 * and job runner are real.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateTelcoLikeRows, toCsv } from "@/data/generate-sample";
import { scoreBatch } from "@/jobs/functions/score-batch";
import type { DatabaseHandle } from "@/server/db/client";
import type { BatchUploadPreview } from "@/server/services/batch-scoring";
import { getBatch, startBatch } from "@/server/services/batch-scoring";
import { useTemporaryDataDir } from "@/server/services/datasets/test-helpers";
import { importSyntheticDataset, testRunner } from "@/server/services/training/test-helpers";
import { signInCookie } from "@/server/testing/auth-session";
import { createTestDatabase, testDatabaseKinds } from "@/server/testing/database";
import { createUser } from "@/server/testing/factories";
import { routeHandler } from "@/server/testing/request-scope";
import { createTrainedDataset, type TrainedDataset } from "@/server/testing/trained-dataset";

const session = vi.hoisted(() => ({ cookie: null as string | null, db: null as unknown }));

vi.mock("next/headers", async () => (await import("@/server/testing/request-scope")).nextHeadersStub);
vi.mock("@/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/db/client")>();
  return { ...original, getDb: async () => session.db };
});

const POST = routeHandler((await import("./route")).POST);
const GET = routeHandler((await import("./[id]/download/route")).GET);
const sessionHeaders = (): Record<string, string> => (session.cookie ? { cookie: session.cookie } : {});

function uploadRequest(body: string, query: string) {
  const bytes = new TextEncoder().encode(body);
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 4096));
      offset += 4096;
    },
  });
  return new Request(`http://localhost/api/score-batches?${query}`, {
    method: "POST",
    body: stream,
    headers: { "content-type": "text/csv", ...sessionHeaders() },
    duplex: "half",
  } as RequestInit);
}

const download = (id: string) =>
  GET(new Request(`http://localhost/api/score-batches/${id}/download`, { headers: sessionHeaders() }), {
    params: Promise.resolve({ id }),
  });

function fileWithoutTarget(rows: number): string {
  const generated = generateTelcoLikeRows(rows, 83);
  const churnAt = generated[0].indexOf("Churn");
  return toCsv(generated.map((r) => r.filter((_, i) => i !== churnAt)));
}

describe.each(testDatabaseKinds())("score-batches routes on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  const users: Record<string, { id: number; email: string }> = {};
  const cookies: Record<string, string> = {};
  const as = (role: "viewer" | "manager" | null) => {
    session.cookie = role ? cookies[role] : null;
  };

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    session.db = handle.db;
    for (const role of ["viewer", "manager"] as const) {
      const { user, password } = await createUser(handle.db, role);
      users[role] = user;
      cookies[role] = await signInCookie(user.email, password);
    }
    trained = await createTrainedDataset(
      handle.db,
      { id: users.manager.id, label: users.manager.email },
      { name: "Routes", algorithms: ["logistic_regression"] },
    );
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("needs a signed-in manager to upload", async () => {
    as(null);
    expect((await POST(uploadRequest("a\n1\n", `datasetId=${trained.datasetId}`))).status).toBe(401);
    as("viewer");
    const refused = await POST(uploadRequest("a\n1\n", `datasetId=${trained.datasetId}`));
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(/manager role/);
  });

  it("answers the problem with its code, line and column, or why the dataset cannot score", async () => {
    as("manager");
    const ragged = await POST(
      uploadRequest("tenure,Contract\n3,One year\n4\n", `datasetId=${trained.datasetId}`),
    );
    expect(ragged.status).toBe(400);
    expect((await ragged.json()).error).toMatchObject({ code: "RAGGED_ROW", line: 3 });
    const unrelated = await POST(uploadRequest("name,colour\nAnna,blue\n", `datasetId=${trained.datasetId}`));
    expect((await unrelated.json()).error).toMatchObject({ code: "NO_MODEL_INPUTS" });
    expect((await POST(uploadRequest("tenure\n3\n", "datasetId=999999"))).status).toBe(404);
    expect((await POST(uploadRequest("tenure\n3\n", "datasetId=abc"))).status).toBe(400);
    const untrained = await importSyntheticDataset(
      handle.db,
      { id: users.manager.id, label: "m" },
      "Untrained",
      100,
    );
    const noChampion = await POST(uploadRequest("tenure\n3\n", `datasetId=${untrained.datasetId}`));
    expect(noChampion.status).toBe(409);
    expect((await noChampion.json()).error.code).toBe("NO_CHAMPION");
  });

  it("previews a good file, then streams the scored CSV to any signed-in user once it is done", async () => {
    as("manager");
    const response = await POST(
      uploadRequest(
        fileWithoutTarget(60),
        `datasetId=${trained.datasetId}&name=${encodeURIComponent("März export.csv")}`,
      ),
    );
    expect(response.status).toBe(200);
    const preview = (await response.json()) as BatchUploadPreview;
    expect(preview).toMatchObject({ rowCount: 60, fileName: "März export.csv", identifier: "customerID" });

    const batch = await startBatch(handle.db, { id: users.manager.id, label: "m" }, preview.uploadId, {
      functions: [scoreBatch],
    });
    as("viewer");
    expect((await download(String(batch.id))).status).toBe(409);
    await testRunner(handle.db, { functions: [scoreBatch] }).drain();
    expect((await getBatch(handle.db, batch.id)).status).toBe("succeeded");

    as(null);
    expect((await download(String(batch.id))).status).toBe(401);
    as("viewer");
    expect((await download("999999")).status).toBe(404);
    expect((await download("1;drop")).status).toBe(404);
    const ok = await download(String(batch.id));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(ok.headers.get("content-disposition")).toBe(
      "attachment; filename=\"Marz-export-scored.csv\"; filename*=UTF-8''M%C3%A4rz%20export-scored.csv",
    );
    const lines = (await ok.text())
      .replace(/^\ufeff/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines).toHaveLength(61);
    expect(lines[0].endsWith(",risk_score,risk_level,top_drivers,recommended_action,warnings")).toBe(true);
  });
});
