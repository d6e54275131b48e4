/**
 * Direct uploads: with S3 storage the browser sends a file straight to the bucket through
 * presigned multipart URLs, because on AWS Lambda a request body over 6 MB is refused before the
 * app runs (the 100k-row Telco file is 13.8 MB). The checks the streaming upload routes do while
 * the body arrives (size, every line, the schema or the champion's columns) then run in a durable
 * job (jobs/functions/import-upload.ts) that reads the object and calls the same staging services
 * (`stageUpload`, `stageBatchUpload`); the browser polls for the outcome, which is the very preview
 * the streaming routes answer. The embedded mode (local files) keeps the streaming routes.
 *
 * Everything lives under `uploads/direct-<id>/` so the 24 h sweep of staged uploads also removes
 * abandoned ones; parts of a never-completed multipart upload go by the bucket's lifecycle rule.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { DatasetError } from "@/lib/ml/data";
import type { Database } from "../../db/client";
import { startDurableWork } from "../../durable/port";
import { serverEnv } from "../../env";
import {
  FileNotFoundError,
  type FileStorage,
  getStorage,
  isS3Storage,
  type S3FileStorage,
} from "../../storage";
import type { Actor } from "../audit";
import { BatchFileError, stageBatchUpload } from "../batch-scoring";
import { stageUpload, UploadTooLargeError } from "../datasets";
import { NoChampionError } from "../predictions";

export const UPLOAD_RECEIVED = "churnguard/upload.received";
/** 8 MiB: above S3's 5 MiB minimum part, and a 200 MB file stays at 25 part URLs. */
export const DIRECT_UPLOAD_PART_BYTES = 8 * 1024 * 1024;
/** Long enough for a slow connection to send 200 MB; the URLs only accept this one upload's parts. */
const PART_URL_SECONDS = 60 * 60;

const folder = (id: string) => `uploads/direct-${id}`;
const dataKey = (id: string) => `${folder(id)}/data.csv`;
const requestKey = (id: string) => `${folder(id)}/request.json`;
const resultKey = (id: string) => `${folder(id)}/result.json`;

export const directUploadIdSchema = z.uuid("This upload id is not valid; upload the file again.");

export const startDirectUploadInputSchema = z.discriminatedUnion("purpose", [
  z.object({
    purpose: z.literal("dataset"),
    fileName: z.string().min(1).max(1_000),
    sizeBytes: z.number().int().nonnegative(),
  }),
  z.object({
    purpose: z.literal("score-batch"),
    datasetId: z.number().int().positive(),
    fileName: z.string().min(1).max(1_000),
    sizeBytes: z.number().int().nonnegative(),
  }),
]);
export type StartDirectUploadInput = z.infer<typeof startDirectUploadInputSchema>;

export const completeDirectUploadInputSchema = z.object({
  parts: z
    .array(z.object({ partNumber: z.number().int().min(1).max(10_000), etag: z.string().min(1).max(200) }))
    .min(1)
    .max(10_000),
});

/** What the server keeps about a direct upload while it is in flight. */
interface DirectUploadRecord {
  id: string;
  purpose: "dataset" | "score-batch";
  datasetId: number | null;
  fileName: string;
  sizeBytes: number;
  multipartUploadId: string;
  partCount: number;
  actor: { id: number | null; label: string };
  createdAt: string;
}

export interface DirectUploadError {
  code: string;
  message: string;
  line?: number;
  column?: number;
  maxBytes?: number;
}

export type DirectUploadStatus =
  | { status: "uploading" | "checking" }
  | { status: "ready"; preview: unknown }
  | { status: "failed"; error: DirectUploadError };

export interface DirectUploadTicket {
  uploadId: string;
  partSizeBytes: number;
  parts: { partNumber: number; url: string }[];
}

/** A request the user can correct (HTTP 400-ish): code, message and status for the route. */
export class DirectUploadRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "DirectUploadRequestError";
  }
}

/** True when files go to S3, and the browser should therefore upload to the bucket itself. */
export function directUploadsEnabled(storage: FileStorage = getStorage()): storage is S3FileStorage {
  return isS3Storage(storage);
}

function s3(storage: FileStorage): S3FileStorage {
  if (!directUploadsEnabled(storage)) {
    throw new DirectUploadRequestError(
      409,
      "NOT_AVAILABLE",
      "Direct uploads need S3 storage; send the file to the upload route instead.",
    );
  }
  return storage;
}

const notFound = () =>
  new DirectUploadRequestError(
    404,
    "NOT_FOUND",
    "This upload is no longer available (uploads are kept for 24 hours). Upload the file again.",
  );

async function readJson<T>(storage: FileStorage, key: string): Promise<T | null> {
  try {
    return JSON.parse(new TextDecoder().decode(await storage.getBytes(key))) as T;
  } catch (error) {
    if (error instanceof FileNotFoundError) return null;
    throw error;
  }
}

const writeJson = (storage: FileStorage, key: string, value: unknown) =>
  storage.put(key, new TextEncoder().encode(JSON.stringify(value)));

/** The record, if it exists and belongs to the actor (someone else's upload is "not found"). */
async function recordOf(storage: FileStorage, actor: Actor, uploadId: string): Promise<DirectUploadRecord> {
  if (!directUploadIdSchema.safeParse(uploadId).success) throw notFound();
  const record = await readJson<DirectUploadRecord>(storage, requestKey(uploadId));
  if (!record || (record.actor.id !== null && record.actor.id !== actor.id)) throw notFound();
  return record;
}

/**
 * Opens a multipart upload and signs one URL per part. Refuses at once a declared size over
 * UPLOAD_MAX_BYTES or an empty file; the real size is checked again when the upload completes.
 */
export async function startDirectUpload(
  actor: Actor,
  input: StartDirectUploadInput,
  storage: FileStorage = getStorage(),
): Promise<DirectUploadTicket> {
  const bucket = s3(storage);
  const parsed = startDirectUploadInputSchema.parse(input);
  const maxBytes = serverEnv().UPLOAD_MAX_BYTES;
  if (parsed.sizeBytes > maxBytes) {
    const error = new UploadTooLargeError(parsed.sizeBytes, maxBytes);
    throw new DirectUploadRequestError(413, "FILE_TOO_LARGE", error.message, { maxBytes });
  }
  if (parsed.sizeBytes === 0) {
    throw new DirectUploadRequestError(400, "EMPTY_FILE", "The file is empty: it has no header and no rows.");
  }
  const id = randomUUID();
  const partCount = Math.max(1, Math.ceil(parsed.sizeBytes / DIRECT_UPLOAD_PART_BYTES));
  const { multipartUploadId, partUrls } = await bucket.startPresignedUpload(dataKey(id), {
    partCount,
    expiresInSeconds: PART_URL_SECONDS,
    contentType: "text/csv",
  });
  const record: DirectUploadRecord = {
    id,
    purpose: parsed.purpose,
    datasetId: parsed.purpose === "score-batch" ? parsed.datasetId : null,
    fileName: parsed.fileName,
    sizeBytes: parsed.sizeBytes,
    multipartUploadId,
    partCount,
    actor: { id: actor.id, label: actor.label },
    createdAt: new Date().toISOString(),
  };
  await writeJson(storage, requestKey(id), record);
  return {
    uploadId: id,
    partSizeBytes: DIRECT_UPLOAD_PART_BYTES,
    parts: partUrls.map((url, i) => ({ partNumber: i + 1, url })),
  };
}

/**
 * Joins the parts the browser sent, checks the real size against the limit and starts the check
 * job. Completing twice (a retried request) starts no second job.
 */
export async function completeDirectUpload(
  db: Database,
  actor: Actor,
  uploadId: string,
  input: z.input<typeof completeDirectUploadInputSchema>,
  storage: FileStorage = getStorage(),
): Promise<DirectUploadStatus> {
  const bucket = s3(storage);
  const record = await recordOf(storage, actor, uploadId);
  if (await storage.exists(dataKey(uploadId))) return statusOf(storage, uploadId);
  const { parts } = completeDirectUploadInputSchema.parse(input);
  const numbers = new Set(parts.map((p) => p.partNumber));
  if (numbers.size !== record.partCount || parts.some((p) => p.partNumber > record.partCount)) {
    throw new DirectUploadRequestError(
      400,
      "INCOMPLETE_UPLOAD",
      `The upload has ${numbers.size} of its ${record.partCount} parts; send the file again.`,
    );
  }
  try {
    await bucket.completePresignedUpload(dataKey(uploadId), record.multipartUploadId, parts);
  } catch (error) {
    const name = (error as { name?: string })?.name;
    if (
      name === "InvalidPart" ||
      name === "InvalidPartOrder" ||
      name === "NoSuchUpload" ||
      name === "EntityTooSmall"
    ) {
      await discardDirectUpload(actor, uploadId, storage);
      throw new DirectUploadRequestError(
        400,
        "INCOMPLETE_UPLOAD",
        "Part of the file did not arrive in storage intact; upload the file again.",
      );
    }
    throw error;
  }
  const maxBytes = serverEnv().UPLOAD_MAX_BYTES;
  const sizeBytes = await bucket.sizeOf(dataKey(uploadId));
  if (sizeBytes > maxBytes) {
    await discardDirectUpload(actor, uploadId, storage);
    const error = new UploadTooLargeError(sizeBytes, maxBytes);
    throw new DirectUploadRequestError(413, "FILE_TOO_LARGE", error.message, { maxBytes });
  }
  await startDurableWork(db, UPLOAD_RECEIVED, { uploadId });
  return { status: "checking" };
}

async function statusOf(storage: FileStorage, uploadId: string): Promise<DirectUploadStatus> {
  const result = await readJson<DirectUploadStatus>(storage, resultKey(uploadId));
  if (result) return result;
  return (await storage.exists(dataKey(uploadId))) ? { status: "checking" } : { status: "uploading" };
}

/** Where a direct upload is: uploading, checking (the job runs), ready (with the preview) or failed. */
export async function getDirectUploadStatus(
  actor: Actor,
  uploadId: string,
  storage: FileStorage = getStorage(),
): Promise<DirectUploadStatus> {
  await recordOf(storage, actor, uploadId);
  return statusOf(storage, uploadId);
}

/** Cancels an upload in flight (or forgets a finished one): parts, object and records go. */
export async function discardDirectUpload(
  actor: Actor,
  uploadId: string,
  storage: FileStorage = getStorage(),
): Promise<void> {
  let record: DirectUploadRecord;
  try {
    record = await recordOf(storage, actor, uploadId);
  } catch (error) {
    if (error instanceof DirectUploadRequestError) return;
    throw error;
  }
  if (directUploadsEnabled(storage))
    await storage.abortPresignedUpload(dataKey(uploadId), record.multipartUploadId);
  await storage.delete(requestKey(uploadId));
  await storage.delete(resultKey(uploadId));
  await storage.delete(dataKey(uploadId));
}

/** The error body the streaming routes would have answered for the same file. */
export function uploadErrorOf(error: unknown): DirectUploadError | null {
  if (error instanceof UploadTooLargeError) {
    return { code: "FILE_TOO_LARGE", message: error.message, maxBytes: error.maxBytes };
  }
  if (error instanceof NoChampionError) {
    return { code: error.reason === "no_dataset" ? "NO_DATASET" : "NO_CHAMPION", message: error.message };
  }
  if (error instanceof BatchFileError) return { code: error.code, message: error.message };
  if (error instanceof DatasetError) {
    const { code, message, line, column } = error.toJSON();
    return {
      code,
      message,
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
    };
  }
  return null;
}

/**
 * The job's step: reads the uploaded object and stages it exactly as the streaming route would
 * (the staged copy under `uploads/<uploadId>/` is what the preview, the import and batch scoring
 * use), records the outcome for the browser and removes the raw object. A problem in the file is
 * an outcome, not a failure; anything else throws and the step is retried. A retry after a crash
 * between staging and recording stages again: the first copy is swept with the other stale uploads.
 */
export async function checkDirectUpload(
  db: Database,
  uploadId: string,
  storage: FileStorage = getStorage(),
): Promise<{ status: "ready" | "failed"; code?: string }> {
  const record = await readJson<DirectUploadRecord>(storage, requestKey(uploadId));
  if (!record) throw new DirectUploadGoneError(uploadId);
  const done = await readJson<DirectUploadStatus>(storage, resultKey(uploadId));
  if (done && (done.status === "ready" || done.status === "failed")) {
    return { status: done.status, ...(done.status === "failed" ? { code: done.error.code } : {}) };
  }
  const body = storage.get(dataKey(uploadId));
  const options = {
    fileName: record.fileName,
    actor: record.actor,
    declaredSizeBytes: record.sizeBytes,
    storage,
  };
  let result: DirectUploadStatus;
  try {
    const preview =
      record.purpose === "score-batch"
        ? await stageBatchUpload(db, body, { ...options, datasetId: record.datasetId as number })
        : await stageUpload(body, options);
    result = { status: "ready", preview };
  } catch (error) {
    const known = uploadErrorOf(error);
    if (!known) throw error;
    result = { status: "failed", error: known };
  }
  await writeJson(storage, resultKey(uploadId), result);
  await storage.delete(dataKey(uploadId));
  return result.status === "failed" ? { status: "failed", code: result.error.code } : { status: "ready" };
}

/** The job's onFailure: the browser learns the check failed, and the raw object goes. */
export async function failDirectUpload(
  uploadId: string,
  reference: string,
  storage: FileStorage = getStorage(),
): Promise<void> {
  if (!(await storage.exists(requestKey(uploadId)))) return;
  const result: DirectUploadStatus = {
    status: "failed",
    error: {
      code: "INTERNAL",
      message: `Something went wrong on our side while checking the file. Reference: ${reference}`,
    },
  };
  await writeJson(storage, resultKey(uploadId), result);
  await storage.delete(dataKey(uploadId));
}

/** The upload's record is gone (cancelled, or swept after 24 h): nothing to check. */
export class DirectUploadGoneError extends Error {
  constructor(readonly uploadId: string) {
    super(`Direct upload ${uploadId} no longer exists (cancelled or expired)`);
    this.name = "DirectUploadGoneError";
  }
}
