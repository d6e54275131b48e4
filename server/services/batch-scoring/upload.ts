/**
 * A file to score, staged: streamed into storage under `uploads/<id>/` (SHA-256 and size computed
 * on the way, refused past UPLOAD_MAX_BYTES), every line validated in the same pass, the header
 * matched against the dataset's champion. Nothing is in the database until the batch is started;
 * a file that fails any check leaves nothing behind, and an abandoned one is removed after 24 h
 * with the other staged uploads (datasets' cleanupStagedUploads sweeps `uploads/`).
 */
import { randomUUID } from "node:crypto";
import { readCsvBatches } from "@/lib/ml/data";
import type { Database } from "../../db/client";
import { serverEnv } from "../../env";
import { FileNotFoundError, type FileStorage, getStorage } from "../../storage";
import type { Actor } from "../audit";
import { cleanFileName, UploadNotFoundError, UploadTooLargeError } from "../datasets";
import { meterBody } from "../datasets/metered-body";
import { teeBytes } from "../datasets/tee";
import { ChunkWriter, chunkCount, DEFAULT_CHUNK_ROWS } from "./chunks";
import { assertUsable, type ColumnMatch, IdentifierFinder, matchColumns } from "./columns";
import { championOf, modelColumnsOf } from "./model";

export const BATCH_PREVIEW_ROWS = 5;
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const stagedBatchFolder = (uploadId: string) => `uploads/${uploadId}`;
export const stagedBatchFileKey = (uploadId: string) => `uploads/${uploadId}/scoring.csv`;
const stagedBatchMetaKey = (uploadId: string) => `uploads/${uploadId}/scoring.json`;

/** What the start needs to know about a staged file without reading it again. */
export interface StagedBatchFile {
  uploadId: string;
  datasetId: number;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  rowCount: number;
  columns: string[];
  identifier: string | null;
  /** Rows per chunk file (uploads/<id>/chunk-<n>.json), and how many there are. */
  chunkRows: number;
  chunks: number;
  uploadedById: number | null;
  uploadedAt: string;
}

/** The upload's answer: what the page shows before the person starts scoring. */
export interface BatchUploadPreview extends ColumnMatch {
  uploadId: string;
  datasetId: number;
  /** The champion the file was checked against (the batch uses the champion at start). */
  model: { modelId: number; version: number; algorithm: string };
  fileName: string;
  sizeBytes: number;
  sha256: string;
  rowCount: number;
  columns: string[];
  identifier: string | null;
  previewRows: string[][];
}

export interface StageBatchUploadOptions {
  datasetId: number;
  fileName: string;
  actor: Actor;
  declaredSizeBytes?: number | null;
  /** Default: UPLOAD_MAX_BYTES. */
  maxBytes?: number;
  /** Rows per chunk (one job step each). Default DEFAULT_CHUNK_ROWS. */
  chunkRows?: number;
  storage?: FileStorage;
}

/**
 * Streams, stores and checks a file to score with the dataset's champion. Throws NoChampionError,
 * UploadTooLargeError, a DatasetError (the file itself: line and column) or a BatchFileError (no
 * model input in it); in every case nothing is left in storage.
 */
export async function stageBatchUpload(
  db: Database,
  body: AsyncIterable<Uint8Array>,
  options: StageBatchUploadOptions,
): Promise<BatchUploadPreview> {
  const storage = options.storage ?? getStorage();
  const maxBytes = options.maxBytes ?? serverEnv().UPLOAD_MAX_BYTES;
  if (options.declaredSizeBytes != null && options.declaredSizeBytes > maxBytes) {
    throw new UploadTooLargeError(options.declaredSizeBytes, maxBytes);
  }
  const champion = await championOf(db, options.datasetId);
  const modelColumns = modelColumnsOf(champion.model);
  const uploadId = randomUUID();
  const metered = meterBody(body, maxBytes, options.declaredSizeBytes);

  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const writer = new ChunkWriter(storage, stagedBatchFolder(uploadId), chunkRows);
  const previewRows: string[][] = [];
  let finder: IdentifierFinder | null = null;
  const scan = async (chunks: AsyncIterable<Uint8Array>) => {
    const batches = readCsvBatches(chunks, { maxBytes, batchSize: 2_000 });
    for (;;) {
      const next = await batches.next();
      if (next.done) {
        await writer.finish(next.value.columns);
        return next.value;
      }
      finder ??= new IdentifierFinder(next.value.columns, modelColumns);
      // The file is parsed here anyway: its chunk files cost one JSON write each.
      await writer.add(next.value.columns, next.value.rows);
      finder.add(next.value.rows);
      for (const row of next.value.rows) {
        if (previewRows.length >= BATCH_PREVIEW_ROWS) break;
        previewRows.push(row);
      }
    }
  };

  try {
    const { branches, abort } = teeBytes(metered.chunks);
    const giveUp = (error: unknown) => {
      abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    };
    const [stored, scanned] = await Promise.allSettled([
      storage.put(stagedBatchFileKey(uploadId), branches[0]).catch(giveUp),
      scan(branches[1]).catch(giveUp),
    ]);
    if (scanned.status === "rejected") throw metered.tooLarge() ?? scanned.reason;
    if (stored.status === "rejected") throw metered.tooLarge() ?? stored.reason;
    const summary = scanned.value;
    const match = matchColumns(summary.columns, modelColumns);
    assertUsable(match, modelColumns);
    const staged: StagedBatchFile = {
      uploadId,
      datasetId: options.datasetId,
      fileName: cleanFileName(options.fileName),
      sizeBytes: metered.sizeBytes(),
      sha256: metered.sha256(),
      rowCount: summary.rowCount,
      columns: summary.columns,
      identifier: (finder as IdentifierFinder | null)?.result() ?? null,
      chunkRows,
      chunks: chunkCount(summary.rowCount, chunkRows),
      uploadedById: options.actor.id,
      uploadedAt: new Date().toISOString(),
    };
    await storage.put(stagedBatchMetaKey(uploadId), new TextEncoder().encode(JSON.stringify(staged)));
    return {
      ...match,
      uploadId,
      datasetId: staged.datasetId,
      model: {
        modelId: champion.modelId,
        version: champion.version,
        algorithm: champion.algorithm,
      },
      fileName: staged.fileName,
      sizeBytes: staged.sizeBytes,
      sha256: staged.sha256,
      rowCount: staged.rowCount,
      columns: staged.columns,
      identifier: staged.identifier,
      previewRows,
    };
  } catch (error) {
    await discardStagedFiles(storage, uploadId);
    throw metered.tooLarge() ?? error;
  }
}

/** The staged file's record; UploadNotFoundError when it is gone or was uploaded by someone else. */
export async function getStagedBatchFile(
  uploadId: string,
  actor: Actor,
  storage: FileStorage = getStorage(),
): Promise<StagedBatchFile> {
  if (!UPLOAD_ID.test(uploadId)) throw new UploadNotFoundError(uploadId);
  let staged: StagedBatchFile;
  try {
    const bytes = await storage.getBytes(stagedBatchMetaKey(uploadId));
    staged = JSON.parse(new TextDecoder().decode(bytes)) as StagedBatchFile;
  } catch (error) {
    if (error instanceof FileNotFoundError) throw new UploadNotFoundError(uploadId);
    throw error;
  }
  if (staged.uploadedById !== null && actor.id !== null && staged.uploadedById !== actor.id) {
    throw new UploadNotFoundError(uploadId);
  }
  if (!(await storage.exists(stagedBatchFileKey(uploadId)))) throw new UploadNotFoundError(uploadId);
  return staged;
}

/** Deletes a staged file the person decided not to score. Unknown ids are ignored. */
export async function discardBatchUpload(
  uploadId: string,
  actor: Actor,
  storage: FileStorage = getStorage(),
): Promise<void> {
  try {
    await getStagedBatchFile(uploadId, actor, storage);
  } catch (error) {
    if (error instanceof UploadNotFoundError) return;
    throw error;
  }
  await discardStagedFiles(storage, uploadId);
}

/** The record first, so a half-removed upload can never be started; then the file and its chunks. */
export async function discardStagedFiles(storage: FileStorage, uploadId: string): Promise<void> {
  await storage.delete(stagedBatchMetaKey(uploadId)).catch(() => {});
  const keys: string[] = [];
  try {
    for await (const file of storage.list(`${stagedBatchFolder(uploadId)}/`)) keys.push(file.key);
  } catch {
    keys.push(stagedBatchFileKey(uploadId));
  }
  for (const key of keys) await storage.delete(key).catch(() => {});
}

export async function forgetStagedBatchFile(storage: FileStorage, uploadId: string): Promise<void> {
  await storage.delete(stagedBatchMetaKey(uploadId));
}
