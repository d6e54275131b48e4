/**
 * Downloads with S3 storage answer 303 to a presigned URL (Lambda answers at most 6 MB): the
 * helpers against the repository's fake S3 server through the real SDK, and the customers export
 * route end to end (route → bucket → presigned GET) with a real session and database.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/server/db/client";
import { resetServerEnvCache } from "@/server/env";
import { useTemporaryDataDir } from "@/server/services/datasets/test-helpers";
import { getStorage, LocalFileStorage } from "@/server/storage";
import { type FakeS3, startFakeS3 } from "@/server/storage/fake-s3-server";
import { signInCookie } from "@/server/testing/auth-session";
import { createTestDatabase, testDatabaseKinds } from "@/server/testing/database";
import { createUser } from "@/server/testing/factories";
import { routeHandler } from "@/server/testing/request-scope";
import { createTrainedDataset, type TrainedDataset } from "@/server/testing/trained-dataset";
import { redirectToGeneratedFile, redirectToStoredFile } from "./direct-download";

const app = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("next/headers", async () => (await import("@/server/testing/request-scope")).nextHeadersStub);
vi.mock("@/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/db/client")>();
  return { ...original, getDb: async () => app.db };
});

const EXPORT = routeHandler((await import("@/app/(app)/customers/export/route")).GET);

const BUCKET = "churnguard-downloads-test";
const ENV = ["S3_BUCKET", "S3_ENDPOINT", "S3_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] as const;

async function* chunks(...parts: string[]) {
  for (const part of parts) yield new TextEncoder().encode(part);
}

describe.each(testDatabaseKinds())("downloads through presigned S3 URLs on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let s3: FakeS3;
  let trained: TrainedDataset;
  let viewerCookie: string;
  const saved: Partial<Record<(typeof ENV)[number], string | undefined>> = {};

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
    app.db = handle.db;
    const { user: manager } = await createUser(handle.db, "manager");
    const viewer = await createUser(handle.db, "viewer");
    viewerCookie = await signInCookie(viewer.user.email, viewer.password);
    trained = await createTrainedDataset(
      handle.db,
      { id: manager.id, label: manager.email },
      { name: "Presigned export", rows: 300, algorithms: ["logistic_regression"] },
    );
  }, 180_000);
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

  it("exports customers to the bucket and redirects the browser to a presigned URL that downloads them", async () => {
    const response = await EXPORT(
      new Request(`http://localhost/customers/export?dataset=${trained.datasetId}`, {
        headers: { cookie: viewerCookie },
      }),
    );
    expect(response.status).toBe(303);
    const location = response.headers.get("location") as string;
    expect(location.startsWith(`${s3.endpoint}/${BUCKET}/uploads/download-`)).toBe(true);
    expect(new URL(location).searchParams.get("X-Amz-Expires")).toBe("300");
    const file = await fetch(location);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
    const lines = (await file.text()).trim().split("\n");
    expect(lines.length).toBeGreaterThan(100); // header + the active customers of 300
    expect(lines[0]).toContain("risk");
  });

  it("redirects to stored and generated files only with S3 storage; locally the route streams", async () => {
    await getStorage().put("reports/9/report.pdf", new TextEncoder().encode("%PDF-1.7 test"));
    const stored = await redirectToStoredFile("reports/9/report.pdf", {
      contentDisposition: 'attachment; filename="churnguard-q3.pdf"',
      contentType: "application/pdf",
    });
    expect(stored?.status).toBe(303);
    const pdf = await fetch(stored?.headers.get("location") as string);
    expect(pdf.headers.get("content-disposition")).toBe('attachment; filename="churnguard-q3.pdf"');
    expect(await pdf.text()).toBe("%PDF-1.7 test");

    const generated = await redirectToGeneratedFile(() => chunks("a,b\n", "1,2\n"), {
      contentDisposition: "attachment",
      contentType: "text/csv",
    });
    expect(await (await fetch(generated?.headers.get("location") as string)).text()).toBe("a,b\n1,2\n");

    const local = new LocalFileStorage(dataDir.dir);
    const headers = { contentDisposition: "attachment", contentType: "text/csv" };
    expect(await redirectToStoredFile("reports/9/report.pdf", headers, local)).toBeNull();
    expect(await redirectToGeneratedFile(() => chunks("x"), headers, local)).toBeNull();
  });
});
