/**
 * Model artifacts: the serialised ChurnModel (feature pipeline + classifier + threshold) in the
 * storage adapter, at a key derived from the run and algorithm so that a retried training step
 * overwrites its own file instead of leaving orphans. The sha256 recorded in `models` is checked
 * on every load: a file changed or truncated behind our back fails loudly instead of scoring.
 */
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { ChurnModel } from "@/lib/ml";
import type { ModelAlgorithm } from "@/lib/ml/types";
import type { Database } from "../../db/client";
import { models } from "../../db/schema";
import { processWide } from "../../process-wide";
import { type FileStorage, getStorage } from "../../storage";

export function artifactKey(runId: number, algorithm: ModelAlgorithm): string {
  return `models/run-${runId}/${algorithm}.json`;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Writes the model's JSON; returns its key, sha256 and size, and the model as stored. */
export async function saveModelArtifact(
  model: ChurnModel,
  key: string,
  storage: FileStorage = getStorage(),
): Promise<{ key: string; sha256: string; sizeBytes: number; stored: ChurnModel }> {
  const text = JSON.stringify(model.toJSON());
  const bytes = new TextEncoder().encode(text);
  await storage.put(key, bytes);
  // What later steps and the prediction API use is the deserialised file, never the live object.
  return { key, sha256: sha256Hex(bytes), sizeBytes: bytes.length, stored: ChurnModel.fromJSON(text) };
}

export class ArtifactIntegrityError extends Error {
  constructor(key: string) {
    super(`The stored model file ${key} does not match its recorded checksum; retrain the model.`);
    this.name = "ArtifactIntegrityError";
  }
}

interface CacheEntry {
  sha256: string;
  model: ChurnModel;
}

// Deserialising a random forest (~1 MB of JSON) takes tens of milliseconds: worth caching for
// the prediction API, which loads the champion on every request. Keyed by model id, checked
// against the artifact's sha so a retrained file is never served stale. Kept on globalThis so
// Next.js bundles share one cache.
const MAX_CACHED_MODELS = 8;
const modelCache = processWide("modelCache", () => new Map<number, CacheEntry>());

/** Reads, verifies and deserialises an artifact (cached by model id + sha256). */
export async function loadModelArtifact(
  modelId: number,
  key: string,
  sha256: string,
  storage: FileStorage = getStorage(),
): Promise<ChurnModel> {
  const cached = modelCache.get(modelId);
  if (cached && cached.sha256 === sha256) {
    modelCache.delete(modelId);
    modelCache.set(modelId, cached);
    return cached.model;
  }
  const bytes = await storage.getBytes(key);
  if (sha256Hex(bytes) !== sha256) throw new ArtifactIntegrityError(key);
  const model = ChurnModel.fromJSON(new TextDecoder().decode(bytes));
  modelCache.set(modelId, { sha256, model });
  while (modelCache.size > MAX_CACHED_MODELS) modelCache.delete(modelCache.keys().next().value as number);
  return model;
}

/** Caches a model just written (pass `stored` from saveModelArtifact), sparing the next step a read. */
export function rememberModel(modelId: number, sha256: string, model: ChurnModel): void {
  modelCache.delete(modelId);
  modelCache.set(modelId, { sha256, model });
  while (modelCache.size > MAX_CACHED_MODELS) modelCache.delete(modelCache.keys().next().value as number);
}

export function clearModelCache(): void {
  modelCache.clear();
}

/** Loads the stored model of a `models` row by id. */
export async function loadModel(db: Database, modelId: number, storage?: FileStorage): Promise<ChurnModel> {
  const [row] = await db
    .select({ key: models.artifactKey, sha256: models.artifactSha256 })
    .from(models)
    .where(eq(models.id, modelId));
  if (!row) throw new Error(`Model ${modelId} does not exist`);
  return loadModelArtifact(modelId, row.key, row.sha256, storage);
}
