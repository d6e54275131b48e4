import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeS3, startFakeS3 } from "./fake-s3-server";
import { S3FileStorage } from "./s3";
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
