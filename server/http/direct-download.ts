/**
 * Downloads that bypass the app when files live in S3: AWS Lambda cannot answer more than 6 MB
 * (scored files and customer exports of 100k rows are 15–30 MB), so the route answers 303 to a
 * short-lived presigned GET URL and the browser fetches the bytes from S3. With local storage
 * (the embedded mode) both helpers return null and the route streams as before.
 */
import { randomUUID } from "node:crypto";
import { type FileStorage, getStorage, isS3Storage, type S3FileStorage } from "../storage";

/** The browser follows the redirect at once; five minutes leaves room for a slow first byte. */
const DOWNLOAD_URL_SECONDS = 5 * 60;

export interface DownloadHeaders {
  contentDisposition: string;
  contentType: string;
}

async function redirectTo(storage: S3FileStorage, key: string, headers: DownloadHeaders): Promise<Response> {
  const url = await storage.presignedDownloadUrl(key, { ...headers, expiresInSeconds: DOWNLOAD_URL_SECONDS });
  return new Response(null, { status: 303, headers: { Location: url, "Cache-Control": "no-store" } });
}

/** A stored file (a report's PDF): 303 to S3, or null to stream it from local storage. */
export async function redirectToStoredFile(
  key: string,
  headers: DownloadHeaders,
  storage: FileStorage = getStorage(),
): Promise<Response | null> {
  if (!isS3Storage(storage)) return null;
  return redirectTo(storage, key, headers);
}

/**
 * A file generated on request (a scored file, an export): written to S3 in one streamed multipart
 * upload, then 303 to it. Kept under `uploads/` so the 24 h sweep of staged uploads removes it
 * (server/services/datasets cleanupStagedUploads). Null with local storage: stream `body` instead.
 */
export async function redirectToGeneratedFile(
  body: () => AsyncIterable<Uint8Array>,
  headers: DownloadHeaders,
  storage: FileStorage = getStorage(),
): Promise<Response | null> {
  if (!isS3Storage(storage)) return null;
  const key = `uploads/download-${randomUUID()}/file`;
  await storage.put(key, body());
  return redirectTo(storage, key, headers);
}

/** Strings (an export's lines) as bytes, for redirectToGeneratedFile. */
export async function* encodeLines(lines: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const line of lines) yield encoder.encode(line);
}
