/**
 * Staged uploads: a CSV streamed into storage under `uploads/<uploadId>/`, validated and profiled,
 * waiting for the user to confirm the import in the preview. Nothing is in the database yet.
 * A staged upload is removed when it is imported, discarded, fails validation, or is 24 h old.
 */
import { randomUUID } from "node:crypto";
import { DatasetError, type DatasetSchema } from "@/lib/ml/data";
import { serverEnv } from "../../env";
import { processWide } from "../../process-wide";
import { FileNotFoundError, type FileStorage, getStorage } from "../../storage";
import type { Actor } from "../audit";
import { type CsvScan, scanCsv } from "./csv-scan";
import { UploadNotFoundError, UploadTooLargeError } from "./errors";
import { meterBody } from "./metered-body";
import { type ColumnOverrides, inferUploadSchema, targetCandidates, uploadBlocker } from "./schema";
import { teeBytes } from "./tee";

export const STAGED_UPLOAD_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const stagedFileKey = (uploadId: string) => `uploads/${uploadId}/data.csv`;
const metaKey = (uploadId: string) => `uploads/${uploadId}/upload.json`;

/** What is known about a staged file without reading it again. */
export interface StagedUpload {
  uploadId: string;
  /** The name the browser sent, cleaned for display; never used in a storage key or SQL. */
  fileName: string;
  sizeBytes: number;
  sha256: string;
  rowCount: number;
  uploadedAt: string;
  /** Who uploaded it; null for the system (seed). Only they can import it. */
  uploadedById: number | null;
}

/** The upload route's answer: everything the preview shows. */
export interface UploadPreview {
  uploadId: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  rowCount: number;
  columns: string[];
  /** First 20 data rows, raw values. */
  previewRows: string[][];
  schema: DatasetSchema;
  /** Columns the user may choose as the target (two values). */
  targetCandidates: string[];
}

export interface StageUploadOptions {
  fileName: string;
  actor: Actor;
  /** Content-Length when the client sent one: refused at once when over the limit. */
  declaredSizeBytes?: number | null;
  /** Default: UPLOAD_MAX_BYTES. */
  maxBytes?: number;
  storage?: FileStorage;
}

/** A file name for display: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  let clean = "";
  for (const ch of base) if (ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f) clean += ch;
  clean = clean.trim().slice(0, 200);
  return clean || "upload.csv";
}

/**
 * Streams an upload into storage (computing SHA-256 and size on the way, refusing past the size
 * limit), then validates every line and infers the schema. Throws UploadTooLargeError or a
 * DatasetError; in both cases, and on any other failure, nothing is left in storage.
 */
export async function stageUpload(
  body: AsyncIterable<Uint8Array>,
  options: StageUploadOptions,
): Promise<UploadPreview> {
  const storage = options.storage ?? getStorage();
  const maxBytes = options.maxBytes ?? serverEnv().UPLOAD_MAX_BYTES;
  if (options.declaredSizeBytes != null && options.declaredSizeBytes > maxBytes) {
    throw new UploadTooLargeError(options.declaredSizeBytes, maxBytes);
  }
  const uploadId = randomUUID();
  const fileKey = stagedFileKey(uploadId);
  const metered = meterBody(body, maxBytes, options.declaredSizeBytes);
  try {
    // Written and parsed in one pass: a bad file is refused while it is still arriving.
    const { branches, abort } = teeBytes(metered.chunks);
    const giveUp = (error: unknown) => {
      abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    };
    const [stored, scanned] = await Promise.allSettled([
      storage.put(fileKey, branches[0]).catch(giveUp),
      scanCsv(branches[1], { maxBytes }).catch(giveUp),
    ]);
    if (stored.status === "rejected" || scanned.status === "rejected") {
      const scanError = scanned.status === "rejected" ? scanned.reason : null;
      throw (
        metered.tooLarge() ??
        (scanError instanceof DatasetError
          ? scanError
          : stored.status === "rejected"
            ? stored.reason
            : scanError)
      );
    }
    const sha256 = metered.sha256();
    const scan = scanned.value;
    const schema = inferUploadSchema(scan);
    const blocker = uploadBlocker(schema);
    if (blocker) throw new DatasetError(blocker.code, blocker.message);
    const staged: StagedUpload = {
      uploadId,
      fileName: cleanFileName(options.fileName),
      sizeBytes: metered.sizeBytes(),
      sha256,
      rowCount: scan.rowCount,
      uploadedAt: new Date().toISOString(),
      uploadedById: options.actor.id,
    };
    await storage.put(metaKey(uploadId), new TextEncoder().encode(JSON.stringify(staged)));
    rememberScan(uploadId, scan, schema);
    return toPreview(staged, scan, schema);
  } catch (error) {
    await discardFiles(storage, uploadId);
    throw metered.tooLarge() ?? error;
  }
}

function toPreview(staged: StagedUpload, scan: CsvScan, schema: DatasetSchema): UploadPreview {
  return {
    uploadId: staged.uploadId,
    fileName: staged.fileName,
    sizeBytes: staged.sizeBytes,
    sha256: staged.sha256,
    rowCount: scan.rowCount,
    columns: scan.columns,
    previewRows: scan.previewRows,
    schema,
    targetCandidates: targetCandidates(schema),
  };
}

interface RecentScan {
  scan: CsvScan;
  schema: DatasetSchema;
}
const RECENT_SCANS = 4;
/** Sample cells kept at most per scan (about 4 M short strings, a few hundred MB at worst). */
const RECENT_SCAN_CELLS = 4_000_000;

/**
 * The last few uploads' scans, so that the preview's re-inspection and the import do not read a
 * file that was just read again (measured on Telco: 0.5 s of a 2.5 s import on a loaded 2-core
 * machine). Kept on globalThis because Next.js bundles the upload route and the tRPC route
 * separately; with several server processes a miss simply reads the file again.
 */
function recentScans(): Map<string, RecentScan> {
  return processWide("recentScans", () => new Map<string, RecentScan>());
}

function rememberScan(uploadId: string, scan: CsvScan, schema: DatasetSchema): void {
  if (scan.sample.length * scan.columns.length > RECENT_SCAN_CELLS) return;
  const scans = recentScans();
  scans.set(uploadId, { scan, schema });
  while (scans.size > RECENT_SCANS) scans.delete(scans.keys().next().value as string);
}

/** The staged upload's record; UploadNotFoundError when it is gone or belongs to someone else. */
export async function getStagedUpload(
  uploadId: string,
  actor: Actor,
  storage: FileStorage = getStorage(),
): Promise<StagedUpload> {
  if (!UPLOAD_ID.test(uploadId)) throw new UploadNotFoundError(uploadId);
  let staged: StagedUpload;
  try {
    staged = JSON.parse(new TextDecoder().decode(await storage.getBytes(metaKey(uploadId)))) as StagedUpload;
  } catch (error) {
    if (error instanceof FileNotFoundError) throw new UploadNotFoundError(uploadId);
    throw error;
  }
  // Uploads are private to their uploader until imported (the system's are anyone's).
  if (staged.uploadedById !== null && actor.id !== null && staged.uploadedById !== actor.id) {
    throw new UploadNotFoundError(uploadId);
  }
  if (!(await storage.exists(stagedFileKey(uploadId)))) throw new UploadNotFoundError(uploadId);
  return staged;
}

/**
 * Re-reads a staged file with the user's choices applied (target, identifier, excluded columns):
 * the preview calls this when a control changes, the import before it writes anything.
 */
export async function inspectStagedUpload(
  uploadId: string,
  actor: Actor,
  overrides: ColumnOverrides,
  storage: FileStorage = getStorage(),
): Promise<UploadPreview & { scan: CsvScan }> {
  const staged = await getStagedUpload(uploadId, actor, storage);
  const recent = recentScans().get(uploadId);
  const scan =
    recent?.scan ??
    (await scanCsv(storage.get(stagedFileKey(uploadId)), { maxBytes: Number.POSITIVE_INFINITY }));
  const isInferred =
    overrides.target === undefined && overrides.identifier === undefined && overrides.excluded === undefined;
  const schema = recent && isInferred ? recent.schema : inferUploadSchema(scan, overrides);
  return { ...toPreview(staged, scan, schema), scan };
}

/** Deletes a staged upload (the user cancelled the preview). Unknown ids are ignored. */
export async function discardUpload(
  uploadId: string,
  actor: Actor,
  storage: FileStorage = getStorage(),
): Promise<void> {
  try {
    await getStagedUpload(uploadId, actor, storage);
  } catch (error) {
    if (error instanceof UploadNotFoundError) return;
    throw error;
  }
  await discardFiles(storage, uploadId);
}

/** Removes the record and then the file, so a half-removed upload is never importable. */
export async function discardFiles(storage: FileStorage, uploadId: string): Promise<void> {
  recentScans().delete(uploadId);
  await storage.delete(metaKey(uploadId)).catch(() => {});
  await storage.delete(stagedFileKey(uploadId)).catch(() => {});
}

/** Removes the staged-upload record after a successful import (the file was moved away). */
export async function forgetStagedUpload(storage: FileStorage, uploadId: string): Promise<void> {
  recentScans().delete(uploadId);
  await storage.delete(metaKey(uploadId));
}

/**
 * Deletes staged uploads older than 24 h (abandoned previews), and temporary files of writes a
 * crash interrupted. Call on server start and then periodically; returns the files removed.
 */
export async function cleanupStagedUploads(
  options: { storage?: FileStorage; now?: number; maxAgeMs?: number } = {},
): Promise<number> {
  const storage = options.storage ?? getStorage();
  const now = options.now ?? Date.now();
  const maxAgeMs = options.maxAgeMs ?? STAGED_UPLOAD_MAX_AGE_MS;
  const stale: string[] = [];
  for await (const file of storage.list("uploads/")) {
    if (now - file.modifiedAt.getTime() > maxAgeMs) stale.push(file.key);
  }
  for (const key of stale) await storage.delete(key);
  let removed = stale.length;
  if ("removeStaleTempFiles" in storage && typeof storage.removeStaleTempFiles === "function") {
    removed += await (
      storage as { removeStaleTempFiles(ms: number, now?: number): Promise<number> }
    ).removeStaleTempFiles(maxAgeMs, now);
  }
  return removed;
}
