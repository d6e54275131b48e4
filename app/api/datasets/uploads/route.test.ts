/**
 * The upload route called as Next.js calls it: the exported POST with a real Request whose body
 * is a stream. Sessions are real Auth.js cookies (signed in through the app's config); the database
 * and storage are real.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/server/db/client";
import { resetServerEnvCache } from "@/server/env";
import {
  churnCsv,
  leftovers,
  NOTHING_LEFT,
  storedKeys,
  useTemporaryDataDir,
} from "@/server/services/datasets/test-helpers";
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

const POST = routeHandler((await import("./route")).POST);

function uploadRequest(
  body: string | Uint8Array | ReadableStream<Uint8Array>,
  init: { name?: string; headers?: Record<string, string> } = {},
) {
  const url = `http://localhost/api/datasets/uploads?name=${encodeURIComponent(init.name ?? "customers.csv")}`;
  const isStream = body instanceof ReadableStream;
  return new Request(url, {
    method: "POST",
    body,
    headers: {
      "content-type": "text/csv",
      ...(session.cookie ? { cookie: session.cookie } : {}),
      ...init.headers,
    },
    ...(isStream ? { duplex: "half" } : {}),
  } as RequestInit);
}

/** A body that arrives in small chunks, like a browser upload. */
function streamOf(text: string, chunkSize = 4096): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

describe.each(testDatabaseKinds())("POST /api/datasets/uploads on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  const users: Record<string, { id: number }> = {};
  const cookies: Record<string, string> = {};
  const as = (role: "viewer" | "manager" | "admin" | null) => {
    session.cookie = role ? cookies[role] : null;
  };

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    session.db = handle.db;
    for (const role of ["viewer", "manager", "admin"] as const) {
      const { user, password } = await createUser(handle.db, role);
      users[role] = user;
      cookies[role] = await signInCookie(user.email, password);
    }
  });
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });
  beforeEach(() => {
    delete process.env.UPLOAD_MAX_BYTES;
    resetServerEnvCache();
  });

  it("answers 401 without a session and 403 for a viewer, reading nothing", async () => {
    as(null);
    let response = await POST(uploadRequest(churnCsv(60)));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: "UNAUTHORIZED", message: "Sign in to upload a file." },
    });
    as("viewer");
    response = await POST(uploadRequest(churnCsv(60)));
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toBe(
      "Uploading data needs the manager role; you are a viewer.",
    );
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);
  });

  it("streams a manager's file into staging and answers the preview, which the import then uses", async () => {
    as("manager");
    const text = churnCsv(500, {
      columns: ["customerId", "<script>alert(1)</script>", "tenure", "MonthlyCharges", "Churn"],
    });
    const response = await POST(uploadRequest(streamOf(text), { name: "Q3 customers.csv" }));
    expect(response.status).toBe(200);
    const preview = await response.json();
    expect(preview).toMatchObject({
      fileName: "Q3 customers.csv",
      sizeBytes: Buffer.byteLength(text),
      rowCount: 500,
      columns: ["customerId", "<script>alert(1)</script>", "tenure", "MonthlyCharges", "Churn"],
      schema: { target: "Churn", identifier: "customerId" },
    });
    expect(preview.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(preview.previewRows).toHaveLength(20);
    expect(await storedKeys()).toEqual([
      `uploads/${preview.uploadId}/data.csv`,
      `uploads/${preview.uploadId}/upload.json`,
    ]);

    const api = callerFor(handle.db, users.manager as never);
    const imported = await api.datasets.import({ uploadId: preview.uploadId, name: "Q3 customers" });
    expect(imported).toMatchObject({ version: 1, rowCount: 500 });
    expect(await storedKeys()).toEqual([imported.storageKey]);
    await api.datasets.delete({ id: imported.datasetId });
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);
  });

  it("answers 400 with the code, message and line of a ragged row, and keeps nothing", async () => {
    as("admin");
    const lines = churnCsv(100).split("\n");
    lines[57] = `${lines[57]},surplus`;
    const response = await POST(uploadRequest(streamOf(lines.join("\n"), 512)));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: "RAGGED_ROW",
        message:
          "Line 58 has 7 fields, expected 6. A value that contains a comma must be enclosed in double quotes.",
        line: 58,
      },
    });
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);
  });

  it("answers 400 for a binary file renamed .csv and for too few rows", async () => {
    as("manager");
    let response = await POST(
      uploadRequest(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37]), { name: "report.csv" }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({
      code: "BINARY_FILE",
      message: "This is a PDF document, not a CSV file. Export the table as CSV instead.",
    });
    response = await POST(uploadRequest(churnCsv(12)));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("TOO_FEW_ROWS");
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);
  });

  it("answers 413 by the declared size, and when the stream passes the limit, deleting the partial file", async () => {
    as("manager");
    process.env.UPLOAD_MAX_BYTES = String(200 * 1024 * 1024);
    resetServerEnvCache();
    let response = await POST(
      uploadRequest(streamOf("a,b\n"), { headers: { "content-length": String(230 * 1024 * 1024) } }),
    );
    expect(response.status).toBe(413);
    expect((await response.json()).error).toEqual({
      code: "FILE_TOO_LARGE",
      message: "The file is 230 MB; the limit is 200 MB.",
      maxBytes: 200 * 1024 * 1024,
    });

    process.env.UPLOAD_MAX_BYTES = "20000";
    resetServerEnvCache();
    response = await POST(uploadRequest(streamOf(churnCsv(3_000), 1024)));
    expect(response.status).toBe(413);
    expect((await response.json()).error.message).toBe(
      "The file is larger than 20 KB, the limit. Upload a smaller file or split it.",
    );
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);
  });

  it("answers 415 for a multipart form", async () => {
    as("manager");
    const response = await POST(
      uploadRequest("--x\r\n", { headers: { "content-type": "multipart/form-data; boundary=x" } }),
    );
    expect(response.status).toBe(415);
  });
});
