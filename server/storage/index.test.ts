import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resetServerEnvCache } from "../env";
import { getStorage, isS3Storage, LocalFileStorage, S3FileStorage } from "./index";

const saved = { ...process.env };

describe("getStorage", () => {
  afterEach(() => {
    for (const key of ["S3_BUCKET", "S3_REGION", "S3_ENDPOINT", "DATA_DIR"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    resetServerEnvCache();
  });

  it("uses a folder under DATA_DIR when no bucket is configured", () => {
    delete process.env.S3_BUCKET;
    process.env.DATA_DIR = "/tmp/churnguard-storage-config";
    resetServerEnvCache();
    const storage = getStorage();
    expect(storage).toBeInstanceOf(LocalFileStorage);
    expect((storage as LocalFileStorage).root).toBe(path.join("/tmp/churnguard-storage-config", "files"));
    expect(getStorage()).toBe(storage);
  });

  it("uses S3 when S3_BUCKET is set, and follows configuration changes", () => {
    process.env.S3_BUCKET = "churnguard-files";
    process.env.S3_REGION = "eu-central-1";
    process.env.S3_ENDPOINT = "http://127.0.0.1:9000";
    resetServerEnvCache();
    const storage = getStorage();
    expect(storage).toBeInstanceOf(S3FileStorage);
    expect((storage as S3FileStorage).bucket).toBe("churnguard-files");
    delete process.env.S3_BUCKET;
    resetServerEnvCache();
    expect(getStorage().kind).toBe("local");
  });
});

describe("isS3Storage", () => {
  it("recognises S3 storage by its kind and methods, also an instance of another bundle's copy of the class", () => {
    expect(isS3Storage(new S3FileStorage({ bucket: "b", region: "eu-west-1" }))).toBe(true);
    expect(isS3Storage(new LocalFileStorage("/tmp/churnguard-is-s3"))).toBe(false);
    // What Next.js hands a route when another bundle created the process-wide instance.
    const foreign = Object.create(null);
    Object.assign(foreign, { kind: "s3", startPresignedUpload: () => {} });
    expect(isS3Storage(foreign)).toBe(true);
    expect(foreign instanceof S3FileStorage).toBe(false);
  });
});
