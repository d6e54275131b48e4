import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type FakeS3, startFakeS3 } from "./fake-s3-server";
import { attachmentDisposition, resolveS3Region, S3FileStorage } from "./s3";
import { FileNotFoundError, InvalidStorageKeyError } from "./types";

async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of iterable) parts.push(chunk);
  return Buffer.concat(parts);
}

describe("S3FileStorage against an S3-compatible endpoint", () => {
  let s3: FakeS3;
  let storage: S3FileStorage;

  beforeAll(async () => {
    s3 = await startFakeS3("churnguard-test");
    process.env.AWS_ACCESS_KEY_ID ??= "test";
    process.env.AWS_SECRET_ACCESS_KEY ??= "test";
    storage = new S3FileStorage({ bucket: "churnguard-test", region: "eu-west-1", endpoint: s3.endpoint });
  });
  afterAll(async () => {
    await s3?.close();
  });

  it("puts bytes and small streams, gets them back, checks existence", async () => {
    expect(await storage.put("a/bytes.csv", new TextEncoder().encode("x,y\n"))).toEqual({ sizeBytes: 4 });
    async function* body() {
      yield new TextEncoder().encode("hello ");
      yield new TextEncoder().encode("s3");
    }
    expect(await storage.put("a/stream.csv", body())).toEqual({ sizeBytes: 8 });
    expect(Buffer.from(await storage.getBytes("a/bytes.csv")).toString()).toBe("x,y\n");
    expect((await collect(storage.get("a/stream.csv"))).toString()).toBe("hello s3");
    expect(await storage.exists("a/stream.csv")).toBe(true);
    expect(await storage.exists("a/none.csv")).toBe(false);
  });

  it("streams a file larger than one part as a multipart upload", async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(65);
    async function* body() {
      for (let i = 0; i < 9; i++) yield chunk;
    }
    expect(await storage.put("big/file.csv", body())).toEqual({ sizeBytes: 9 * 1024 * 1024 });
    expect(s3.operations).toContain("UploadPart");
    expect(s3.operations).toContain("CompleteMultipartUpload");
    expect((await collect(storage.get("big/file.csv"))).length).toBe(9 * 1024 * 1024);
  });

  it("moves, lists and deletes", async () => {
    await storage.put("uploads/1/file.csv", new TextEncoder().encode("abc"));
    await storage.move("uploads/1/file.csv", "datasets/1/v1/sha.csv");
    expect(await storage.exists("uploads/1/file.csv")).toBe(false);
    const listed = [];
    for await (const f of storage.list("datasets/")) listed.push(f);
    expect(listed).toEqual([{ key: "datasets/1/v1/sha.csv", sizeBytes: 3, modifiedAt: expect.any(Date) }]);
    await storage.delete("datasets/1/v1/sha.csv");
    await storage.delete("datasets/1/v1/sha.csv");
    expect(await storage.exists("datasets/1/v1/sha.csv")).toBe(false);
  });

  it("maps missing objects to FileNotFoundError and validates keys", async () => {
    await expect(storage.getBytes("missing")).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(collect(storage.get("missing"))).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(storage.move("missing", "x")).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(storage.put("../x", new Uint8Array())).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });
});

describe("the bucket's region", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("is S3_REGION, else the runtime's AWS_REGION, else AWS_DEFAULT_REGION — never a pinned us-east-1", () => {
    expect(resolveS3Region({ region: "ap-south-1" }, { AWS_REGION: "eu-west-1" })).toBe("ap-south-1");
    expect(resolveS3Region({}, { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "us-west-2" })).toBe(
      "eu-west-1",
    );
    expect(resolveS3Region({ region: "" }, { AWS_DEFAULT_REGION: "us-west-2" })).toBe("us-west-2");
    // Nothing set: the SDK's own chain (~/.aws/config) decides; an S3-compatible endpoint takes any.
    expect(resolveS3Region({}, {})).toBeUndefined();
    expect(resolveS3Region({ endpoint: "http://127.0.0.1:9000" }, {})).toBe("us-east-1");
  });

  it("reaches the S3 client: on Lambda in eu-central-1 the client signs for eu-central-1", async () => {
    vi.stubEnv("AWS_REGION", "eu-central-1");
    vi.stubEnv("S3_REGION", "");
    const storage = new S3FileStorage({ bucket: "churnguard-production-files" });
    const client = (storage as unknown as { client: { config: { region: () => Promise<string> } } }).client;
    expect(await client.config.region()).toBe("eu-central-1");
    const pinned = new S3FileStorage({ bucket: "b", region: "ap-southeast-2" });
    const pinnedClient = (pinned as unknown as { client: { config: { region: () => Promise<string> } } })
      .client;
    expect(await pinnedClient.config.region()).toBe("ap-southeast-2");
  });
});

describe("presigned URLs for the browser (uploads and downloads that bypass Lambda's 6 MB limit)", () => {
  let s3: FakeS3;
  let storage: S3FileStorage;

  beforeAll(async () => {
    s3 = await startFakeS3("churnguard-presign");
    process.env.AWS_ACCESS_KEY_ID ??= "test";
    process.env.AWS_SECRET_ACCESS_KEY ??= "test";
    storage = new S3FileStorage({ bucket: "churnguard-presign", region: "eu-west-1", endpoint: s3.endpoint });
  });
  afterAll(async () => {
    await s3?.close();
  });

  it("fills a multipart upload through presigned part URLs, as a browser would, and completes it", async () => {
    const { multipartUploadId, partUrls } = await storage.startPresignedUpload("incoming/u1/data.csv", {
      partCount: 2,
      expiresInSeconds: 600,
      contentType: "text/csv",
    });
    expect(partUrls).toHaveLength(2);
    for (const url of partUrls) {
      const query = new URL(url).searchParams;
      expect(query.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
      // The SDK's default would sign the CRC32 of an empty body, which S3 refuses for a real part.
      expect([...query.keys()].filter((k) => k.toLowerCase().includes("checksum"))).toEqual([]);
    }
    const parts = [Buffer.alloc(5 * 1024 * 1024, "a"), Buffer.from("tail")];
    const etags = await Promise.all(
      partUrls.map(async (url, i) => {
        // A browser's preflight: the bucket must expose ETag or the client cannot complete.
        const preflight = await fetch(url, { method: "OPTIONS" });
        expect(preflight.headers.get("access-control-expose-headers")).toContain("ETag");
        const response = await fetch(url, { method: "PUT", body: parts[i] });
        expect(response.status).toBe(200);
        return response.headers.get("etag") as string;
      }),
    );
    expect(await storage.exists("incoming/u1/data.csv")).toBe(false);
    // Parts may finish in any order: completion sorts them.
    await storage.completePresignedUpload("incoming/u1/data.csv", multipartUploadId, [
      { partNumber: 2, etag: etags[1] },
      { partNumber: 1, etag: etags[0] },
    ]);
    expect(await storage.sizeOf("incoming/u1/data.csv")).toBe(5 * 1024 * 1024 + 4);
    expect(
      Buffer.from(await storage.getBytes("incoming/u1/data.csv"))
        .subarray(-4)
        .toString(),
    ).toBe("tail");
  });

  it("refuses a completion whose ETags the browser did not read back, and aborts cleanly", async () => {
    const { multipartUploadId, partUrls } = await storage.startPresignedUpload("incoming/u2/data.csv", {
      partCount: 1,
      expiresInSeconds: 600,
    });
    await fetch(partUrls[0], { method: "PUT", body: "abc" });
    await expect(
      storage.completePresignedUpload("incoming/u2/data.csv", multipartUploadId, [
        { partNumber: 1, etag: "" },
      ]),
    ).rejects.toMatchObject({ name: "InvalidPart" });
    await storage.abortPresignedUpload("incoming/u2/data.csv", multipartUploadId);
    await storage.abortPresignedUpload("incoming/u2/data.csv", multipartUploadId);
    expect(s3.operations).toContain("AbortMultipartUpload");
    await expect(storage.sizeOf("incoming/u2/data.csv")).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(storage.startPresignedUpload("x/y", { partCount: 0, expiresInSeconds: 1 })).rejects.toThrow(
      RangeError,
    );
  });

  it("signs a GET that downloads under the given name and type, and stops working when it expires", async () => {
    await storage.put("exports/report.pdf", new TextEncoder().encode("%PDF-1.7"));
    const url = await storage.presignedDownloadUrl("exports/report.pdf", {
      contentDisposition: attachmentDisposition("Q3 churn — report.pdf"),
      contentType: "application/pdf",
      expiresInSeconds: 60,
    });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="Q3 churn _ report.pdf"; filename*=UTF-8''Q3%20churn%20%E2%80%94%20report.pdf`,
    );
    expect(await response.text()).toBe("%PDF-1.7");

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(Date.now() - 10 * 60_000));
    const stale = await storage.presignedDownloadUrl("exports/report.pdf", {
      contentDisposition: "attachment",
      contentType: "application/pdf",
      expiresInSeconds: 60,
    });
    vi.useRealTimers();
    expect((await fetch(stale)).status).toBe(403);
  });
});
