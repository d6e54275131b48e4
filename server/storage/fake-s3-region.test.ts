import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeS3, startFakeS3 } from "./fake-s3-server";
import { S3FileStorage } from "./s3";

const DOWNLOAD = {
  contentDisposition: 'attachment; filename="a.csv"',
  contentType: "text/csv",
  expiresInSeconds: 60,
};

/**
 * The fake S3 server's region check, which the production-shape journey relies on to catch an S3
 * client pinned to the wrong region (real S3 answers AuthorizationHeaderMalformed).
 */
describe("the fake S3 server refuses requests signed for another region than the bucket's", () => {
  let s3: FakeS3;
  beforeAll(async () => {
    s3 = await startFakeS3("regional-bucket", { region: "eu-central-1" });
    process.env.AWS_ACCESS_KEY_ID ??= "test";
    process.env.AWS_SECRET_ACCESS_KEY ??= "test";
  });
  afterAll(async () => {
    await s3?.close();
  });

  it("accepts the bucket's region, header-signed and presigned", async () => {
    const storage = new S3FileStorage({
      bucket: "regional-bucket",
      region: "eu-central-1",
      endpoint: s3.endpoint,
    });
    await storage.put("a.csv", new TextEncoder().encode("x\n"));
    expect(Buffer.from(await storage.getBytes("a.csv")).toString()).toBe("x\n");
    const url = await storage.presignedDownloadUrl("a.csv", DOWNLOAD);
    expect((await fetch(url)).status).toBe(200);
  });

  it("refuses us-east-1 (a pinned region), header-signed and presigned", async () => {
    const pinned = new S3FileStorage({
      bucket: "regional-bucket",
      region: "us-east-1",
      endpoint: s3.endpoint,
    });
    await expect(pinned.put("b.csv", new TextEncoder().encode("y\n"))).rejects.toThrow(
      /region 'us-east-1' is wrong/,
    );
    const url = await pinned.presignedDownloadUrl("a.csv", DOWNLOAD);
    const response = await fetch(url);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>AuthorizationHeaderMalformed</Code>");
    expect(s3.operations.filter((op) => op === "WrongRegion")).toHaveLength(2);
  });
});
