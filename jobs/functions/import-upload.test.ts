/**
 * The import-upload function as Inngest runs it (Inngest's SDK test engine over the adapter that
 * serves /api/inngest): a file already in S3 (the repository's fake S3 server) is checked in one
 * step and its preview recorded for the browser; a cancelled upload fails at once, unretried.
 */
import { InngestTestEngine } from "@inngest/test";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/server/db/client";
import { resetServerEnvCache } from "@/server/env";
import type { Actor } from "@/server/services/audit";
import { churnCsv, useTemporaryDataDir } from "@/server/services/datasets/test-helpers";
import {
  completeDirectUpload,
  discardDirectUpload,
  getDirectUploadStatus,
  startDirectUpload,
} from "@/server/services/direct-uploads";
import { type FakeS3, startFakeS3 } from "@/server/storage/fake-s3-server";
import { createTestDatabase } from "@/server/testing/database";
import { createUser } from "@/server/testing/factories";
import { toInngestFunctions } from "../inngest-adapter";
import { importUpload, UPLOAD_RECEIVED } from "./import-upload";

const ENV = ["S3_BUCKET", "S3_ENDPOINT", "S3_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] as const;

describe("import-upload under Inngest", () => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let s3: FakeS3;
  let actor: Actor;
  const saved: Partial<Record<(typeof ENV)[number], string | undefined>> = {};

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    s3 = await startFakeS3("churnguard-inngest-upload");
    for (const name of ENV) saved[name] = process.env[name];
    Object.assign(process.env, {
      S3_BUCKET: "churnguard-inngest-upload",
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: "eu-central-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
    resetServerEnvCache();
    handle = await createTestDatabase("pglite");
    const { user } = await createUser(handle.db, "manager");
    actor = { id: user.id, label: user.email };
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

  const engine = () => {
    const [main] = toInngestFunctions(importUpload, {
      client: new Inngest({ id: "churnguard" }),
      getDb: async () => handle.db,
    });
    return new InngestTestEngine({ function: main });
  };

  async function uploaded(text: string) {
    const bytes = new TextEncoder().encode(text);
    const ticket = await startDirectUpload(actor, {
      purpose: "dataset",
      fileName: "q4.csv",
      sizeBytes: bytes.length,
    });
    const put = await fetch(ticket.parts[0].url, { method: "PUT", body: bytes });
    await completeDirectUpload(handle.db, actor, ticket.uploadId, {
      parts: [{ partNumber: 1, etag: put.headers.get("etag") as string }],
    });
    return ticket.uploadId;
  }

  it("checks the object in one step and records the preview the upload page polls for", async () => {
    const uploadId = await uploaded(churnCsv(300));
    const { result, error, ctx } = await engine().execute({
      events: [{ name: UPLOAD_RECEIVED, data: { uploadId, _churnguardJobId: "job_inngest_upload" } }],
    });
    expect(error).toBeUndefined();
    expect(result).toEqual({ jobId: "job_inngest_upload", steps: ["check"] });
    expect(ctx.step.run).toHaveBeenCalledWith("check", expect.any(Function));
    const status = await getDirectUploadStatus(actor, uploadId);
    expect(status).toMatchObject({ status: "ready", preview: { rowCount: 300, fileName: "q4.csv" } });
  });

  it("fails at once, without retries, when the upload was cancelled before the check ran", async () => {
    const uploadId = await uploaded(churnCsv(50));
    await discardDirectUpload(actor, uploadId);
    const { error } = await engine().execute({
      events: [{ name: UPLOAD_RECEIVED, data: { uploadId, _churnguardJobId: "job_inngest_gone" } }],
    });
    expect(error).toMatchObject({ message: expect.stringContaining("no longer exists") });
  });
});
