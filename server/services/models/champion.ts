import { and, eq } from "drizzle-orm";
import type { ChurnModel } from "@/lib/ml";
import type { ModelAlgorithm } from "@/lib/ml/types";
import type { Database } from "../../db/client";
import { models } from "../../db/schema";
import type { FileStorage } from "../../storage";
import { loadModelArtifact } from "./artifacts";

export interface LoadedChampion {
  modelId: number;
  datasetId: number;
  datasetVersionId: number;
  algorithm: ModelAlgorithm;
  /** Per-dataset model version ("model v7"). */
  version: number;
  threshold: number;
  artifactSha256: string;
  model: ChurnModel;
}

/**
 * The dataset's champion, deserialised and ready to score (cached by model id + artifact sha256,
 * so repeated calls cost one small query). Null when the dataset has no champion yet.
 */
export async function loadChampion(
  db: Database,
  datasetId: number,
  options: { storage?: FileStorage } = {},
): Promise<LoadedChampion | null> {
  const [row] = await db
    .select({
      id: models.id,
      datasetId: models.datasetId,
      datasetVersionId: models.datasetVersionId,
      algorithm: models.algorithm,
      version: models.version,
      threshold: models.threshold,
      artifactKey: models.artifactKey,
      artifactSha256: models.artifactSha256,
    })
    .from(models)
    .where(and(eq(models.datasetId, datasetId), eq(models.status, "champion")));
  if (!row) return null;
  const model = await loadModelArtifact(row.id, row.artifactKey, row.artifactSha256, options.storage);
  return {
    modelId: row.id,
    datasetId: row.datasetId,
    datasetVersionId: row.datasetVersionId,
    algorithm: row.algorithm as ModelAlgorithm,
    version: row.version,
    threshold: row.threshold,
    artifactSha256: row.artifactSha256,
    model,
  };
}
