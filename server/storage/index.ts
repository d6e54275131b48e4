import path from "node:path";
import { serverEnv } from "../env";
import { LocalFileStorage } from "./local";
import { S3FileStorage } from "./s3";
import type { FileStorage } from "./types";

export { assertValidKey } from "./keys";
export { LocalFileStorage } from "./local";
export { S3FileStorage } from "./s3";
export * from "./types";

const globalStore = globalThis as typeof globalThis & {
  __churnguardStorage?: { config: string; storage: FileStorage };
};

/**
 * The configured file storage: S3 when S3_BUCKET is set (S3_REGION, S3_ENDPOINT optional), else
 * the folder `${DATA_DIR}/files`. Rebuilt when the configuration changes (tests swap DATA_DIR).
 */
export function getStorage(): FileStorage {
  const env = serverEnv();
  const config = env.S3_BUCKET
    ? `s3:${env.S3_BUCKET}:${env.S3_REGION ?? ""}:${env.S3_ENDPOINT ?? ""}`
    : `local:${path.join(env.dataDir, "files")}`;
  const cached = globalStore.__churnguardStorage;
  if (cached?.config === config) return cached.storage;
  const storage: FileStorage = env.S3_BUCKET
    ? new S3FileStorage({ bucket: env.S3_BUCKET, region: env.S3_REGION, endpoint: env.S3_ENDPOINT })
    : new LocalFileStorage(path.join(env.dataDir, "files"));
  globalStore.__churnguardStorage = { config, storage };
  return storage;
}

/**
 * True for S3 storage. Not `instanceof`: getStorage() keeps one instance per process while
 * Next.js bundles this module once per route bundle, so the instance may come from another
 * bundle's copy of the class.
 */
export function isS3Storage(storage: FileStorage): storage is S3FileStorage {
  return (
    storage.kind === "s3" && typeof (storage as Partial<S3FileStorage>).startPresignedUpload === "function"
  );
}
