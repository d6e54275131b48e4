/**
 * Direct uploads (S3 storage): the routes called as Next.js calls them, with real Auth.js session
 * cookies, a real database, the repository's fake S3 server behind the real AWS SDK, parts sent to
 * the presigned URLs as a browser sends them, and the check job run by the embedded runner.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { importUpload } from "@/jobs/functions/import-upload";
import { EmbeddedRunner } from "@/jobs/runner/runner";
import type { DatabaseHandle } from "@/server/db/client";
import { resetServerEnvCache } from "@/server/env";
import {
  churnCsv,
  leftovers,
  NOTHING_LEFT,
  useTemporaryDataDir,
} from "@/server/services/datasets/test-helpers";
import { type FakeS3, startFakeS3 } from "@/server/storage/fake-s3-server";
import { signInCookie } from "@/server/testing/auth-session";
import { createTestDatabase, testDatabaseKinds } from "@/server/testing/database";
import { callerFor, createUser } from "@/server/testing/factories";
import { routeHandler } from "@/server/testing/request-scope";

const session = vi.hoisted(() => ({ cookie: null as string | null, db: null as unknown }));

vi.mock("next/headers", async () => (await import("@/server/testing/request-scope")).nextHeadersStub);
vi.mock("@/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/db/client")>();
  return { ...original, getDb: async () => session.db };
});

const START = routeHandler((await import("./route")).POST);
const STATUS = routeHandler((await import("./[id]/route")).GET);
const CANCEL = routeHandler((await import("./[id]/route")).DELETE);
const COMPLETE = routeHandler((await import("./[id]/complete/route")).POST);

const BUCKET = "churnguard-direct-test";
const ENV = ["S3_BUCKET", "S3_ENDPOINT", "S3_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] as const;

function json(url: string, method: string, body?: unknown): Request {
  return new Request(`http://localhost${url}`, {
    method,
    headers: { "content-type": "application/json", ...(session.cookie ? { cookie: session.cookie } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });

describe.each(testDatabaseKinds())("direct uploads to S3 on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let s3: FakeS3;
  const saved: Partial<Record<(typeof ENV)[number], string | undefined>> = {};
  const users: Record<string, { id: number }> = {};
  const cookies: Record<string, string> = {};
  const as = (who: "viewer" | "manager" | "other" | null) => {
    session.cookie = who ? cookies[who] : null;
  };

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    s3 = await startFakeS3(BUCKET);
    for (const name of ENV) saved[name] = process.env[name];
    Object.assign(process.env, {
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: "eu-central-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
    resetServerEnvCache();
    handle = await createTestDatabase(kind);
    session.db = handle.db;
    for (const [who, role] of [
      ["viewer", "viewer"],
      ["manager", "manager"],
      ["other", "manager"],
    ] as const) {
      const { user, password } = await createUser(handle.db, role);
      users[who] = user;
      cookies[who] = await signInCookie(user.email, password);
    }
  });
  afterAll(async () => {
    await handle?.close();
    for (const name of ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    resetServerEnvCache();
    await s3?.close();
    dataDir?.cleanup();
  });

  const runJobs = () =>
    new EmbeddedRunner({
      db: handle.db,
      functions: [importUpload],
      backoffMs: () => 0,
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    }).drain();

  /** Start, PUT every slice to its presigned URL (as the browser does), complete. */
  async function uploadDirect(text: string, start: Record<string, unknown> = { purpose: "dataset" }) {
    const bytes = new TextEncoder().encode(text);
    const started = await START(
      json("/api/uploads", "POST", { fileName: "big customers.csv", sizeBytes: bytes.length, ...start }),
    );
    expect(started.status).toBe(200);
    const ticket = (await started.json()) as {
      uploadId: string;
      partSizeBytes: number;
      parts: { partNumber: number; url: string }[];
    };
    expect(ticket.parts.length).toBe(Math.ceil(bytes.length / ticket.partSizeBytes));
    const parts = [];
    for (const part of ticket.parts) {
      const slice = bytes.subarray(
        (part.partNumber - 1) * ticket.partSizeBytes,
        part.partNumber * ticket.partSizeBytes,
      );
      const put = await fetch(part.url, { method: "PUT", body: slice });
      expect(put.status).toBe(200);
      parts.push({ partNumber: part.partNumber, etag: put.headers.get("etag") as string });
    }
    const completed = await COMPLETE(
      json(`/api/uploads/${ticket.uploadId}/complete`, "POST", { parts }),
      params(ticket.uploadId),
    );
    return { ticket, completed };
  }

  const statusOf = async (id: string) => {
    const response = await STATUS(json(`/api/uploads/${id}`, "GET"), params(id));
    return { code: response.status, body: await response.json() };
  };

  it("takes a file over Lambda's 6 MB limit straight into S3, checks it in a job, and imports it", async () => {
    as("manager");
    const text = churnCsv(140_000); // 6.6 MB: over Lambda's limit, one 8 MiB part
    expect(Buffer.byteLength(text)).toBeGreaterThan(6 * 1024 * 1024);
    const partsBefore = s3.operations.filter((op) => op === "UploadPart").length;
    const { ticket, completed } = await uploadDirect(text);
    expect(completed.status).toBe(202);
    expect(await completed.json()).toEqual({ status: "checking" });
    expect(s3.operations.filter((op) => op === "UploadPart").length - partsBefore).toBe(1);
    expect(await statusOf(ticket.uploadId)).toEqual({ code: 200, body: { status: "checking" } });

    await runJobs();
    const { body } = await statusOf(ticket.uploadId);
    expect(body.status).toBe("ready");
    expect(body.preview).toMatchObject({
      fileName: "big customers.csv",
      sizeBytes: Buffer.byteLength(text),
      rowCount: 140_000,
      columns: ["customerId", "plan", "tenure", "MonthlyCharges", "email", "Churn"],
      schema: { target: "Churn", identifier: "customerId" },
    });
    // The raw object is gone once checked; the staged copy is what the import uses.
    expect([...s3.objects.keys()].filter((k) => k.endsWith(`direct-${ticket.uploadId}/data.csv`))).toEqual(
      [],
    );

    const api = callerFor(handle.db, users.manager as never);
    const imported = await api.datasets.import({ uploadId: body.preview.uploadId, name: "Direct upload" });
    expect(imported).toMatchObject({ version: 1, rowCount: 140_000 });
    expect(s3.objects.has(imported.storageKey)).toBe(true);
    await api.datasets.delete({ id: imported.datasetId });
    expect(await leftovers(handle.db)).toMatchObject({ datasets: NOTHING_LEFT.datasets });
  }, 120_000);

  it("reports a problem in the file with its line, as the streaming route does, and keeps no object", async () => {
    as("manager");
    const lines = churnCsv(200).split("\n");
    lines[41] = `${lines[41]},surplus`;
    const { ticket } = await uploadDirect(lines.join("\n"));
    await runJobs();
    expect(await statusOf(ticket.uploadId)).toEqual({
      code: 200,
      body: {
        status: "failed",
        error: {
          code: "RAGGED_ROW",
          message:
            "Line 42 has 7 fields, expected 6. A value that contains a comma must be enclosed in double quotes.",
          line: 42,
        },
      },
    });
    expect([...s3.objects.keys()].some((k) => k.includes(`direct-${ticket.uploadId}/data.csv`))).toBe(false);
  });

  it("checks a file to score against the chosen dataset's champion (none here: NO_DATASET)", async () => {
    as("manager");
    const { ticket } = await uploadDirect("tenure,plan\n3,basic\n", {
      purpose: "score-batch",
      datasetId: 999_999,
    });
    await runJobs();
    const { body } = await statusOf(ticket.uploadId);
    expect(body).toMatchObject({ status: "failed", error: { code: "NO_DATASET" } });
  });

  it("refuses viewers, oversize and empty files, incomplete part lists, and other people's uploads; cancels", async () => {
    as(null);
    expect(
      (await START(json("/api/uploads", "POST", { purpose: "dataset", fileName: "a.csv", sizeBytes: 5 })))
        .status,
    ).toBe(401);
    as("viewer");
    expect(
      (await START(json("/api/uploads", "POST", { purpose: "dataset", fileName: "a.csv", sizeBytes: 5 })))
        .status,
    ).toBe(403);
    as("manager");
    const tooLarge = await START(
      json("/api/uploads", "POST", { purpose: "dataset", fileName: "a.csv", sizeBytes: 10 * 1024 ** 4 }),
    );
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).error.code).toBe("FILE_TOO_LARGE");
    const empty = await START(
      json("/api/uploads", "POST", { purpose: "dataset", fileName: "a.csv", sizeBytes: 0 }),
    );
    expect((await empty.json()).error.code).toBe("EMPTY_FILE");
    const bad = await START(json("/api/uploads", "POST", { purpose: "dataset", fileName: "a.csv" }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({
      code: "INVALID_REQUEST",
      message: expect.stringContaining("sizeBytes"),
    });

    const started = await START(
      json("/api/uploads", "POST", { purpose: "dataset", fileName: "a.csv", sizeBytes: 20 * 1024 * 1024 }),
    );
    const ticket = await started.json();
    expect(ticket.parts).toHaveLength(3);
    const incomplete = await COMPLETE(
      json(`/api/uploads/${ticket.uploadId}/complete`, "POST", { parts: [{ partNumber: 1, etag: "x" }] }),
      params(ticket.uploadId),
    );
    expect(incomplete.status).toBe(400);
    expect((await incomplete.json()).error.code).toBe("INCOMPLETE_UPLOAD");
    expect(await statusOf(ticket.uploadId)).toEqual({ code: 200, body: { status: "uploading" } });

    as("other");
    expect((await statusOf(ticket.uploadId)).code).toBe(404);
    expect(
      (await CANCEL(json(`/api/uploads/${ticket.uploadId}`, "DELETE"), params(ticket.uploadId))).status,
    ).toBe(204);
    as("manager");
    expect((await statusOf(ticket.uploadId)).code).toBe(200);
    expect(
      (await CANCEL(json(`/api/uploads/${ticket.uploadId}`, "DELETE"), params(ticket.uploadId))).status,
    ).toBe(204);
    expect(s3.operations).toContain("AbortMultipartUpload");
    expect((await statusOf(ticket.uploadId)).code).toBe(404);
    expect((await statusOf("not-a-uuid")).code).toBe(404);
  });
});
