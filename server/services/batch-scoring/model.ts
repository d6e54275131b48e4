/**
 * The model a batch was started with, ready to score. A batch keeps scoring with the model that was
 * champion when it started even if another model is promoted half-way, so it cannot use
 * loadPredictor (always the current champion); it builds the same Predictor from that model's row
 * and artifact, so a row scores exactly as the what-if page and the API would score it.
 */
import { eq } from "drizzle-orm";
import type { ChurnModel } from "@/lib/ml";
import type { Algorithm } from "@/lib/ml/types";
import type { Database } from "../../db/client";
import { datasets, models } from "../../db/schema";
import { type LoadedChampion, loadChampion, loadModelArtifact } from "../models";
import { NoChampionError, Predictor } from "../predictions";
import type { RiskBands } from "../scoring";
import { getRiskBands } from "../settings";
import type { ModelColumns } from "./columns";

export class BatchModelGoneError extends Error {
  constructor(modelId: number) {
    super(`Model ${modelId}, which this batch was started with, no longer exists (its dataset was deleted).`);
    this.name = "BatchModelGoneError";
  }
}

/** Everything needed to rebuild the Predictor anywhere (a worker thread included): plain data. */
export interface ModelRef {
  modelId: number;
  datasetId: number;
  datasetVersionId: number;
  algorithm: Algorithm;
  version: number;
  threshold: number;
  artifactKey: string;
  artifactSha256: string;
  bands: RiskBands;
}

export interface BatchModel {
  ref: ModelRef;
  predictor: Predictor;
  /** The model itself (its JSON goes to worker threads). */
  model: ChurnModel;
  columns: ModelColumns;
}

/** The columns a model reads, its target and its training data's identifier column. */
export function modelColumnsOf(model: ChurnModel): ModelColumns {
  return {
    inputs: model.pipeline.describeInputs().map((input) => input.name),
    target: model.schema.target,
    identifier: model.schema.identifier ?? null,
  };
}

/** The dataset's current champion; NoChampionError (naming why) when there is none. */
export async function championOf(db: Database, datasetId: number): Promise<LoadedChampion> {
  const champion = await loadChampion(db, datasetId);
  if (champion) return champion;
  const [dataset] = await db.select({ id: datasets.id }).from(datasets).where(eq(datasets.id, datasetId));
  throw new NoChampionError(datasetId, dataset ? "no_champion" : "no_dataset");
}

/** The Predictor of a model reference (the artifact is read once per process, then cached). */
export async function predictorOf(ref: ModelRef): Promise<{ predictor: Predictor; model: ChurnModel }> {
  const model = await loadModelArtifact(ref.modelId, ref.artifactKey, ref.artifactSha256);
  const predictor = new Predictor({ ...ref, model }, ref.bands);
  return { predictor, model };
}

/** The model a batch was started with, as a Predictor with the current risk bands. */
export async function loadBatchModel(db: Database, modelId: number): Promise<BatchModel> {
  const [[row], bands] = await Promise.all([
    db
      .select({
        modelId: models.id,
        datasetId: models.datasetId,
        datasetVersionId: models.datasetVersionId,
        algorithm: models.algorithm,
        version: models.version,
        threshold: models.threshold,
        artifactKey: models.artifactKey,
        artifactSha256: models.artifactSha256,
      })
      .from(models)
      .where(eq(models.id, modelId)),
    getRiskBands(db),
  ]);
  if (!row) throw new BatchModelGoneError(modelId);
  const ref: ModelRef = { ...row, algorithm: row.algorithm as Algorithm, bands: { ...bands } };
  const { predictor, model } = await predictorOf(ref);
  return { ref, predictor, model, columns: modelColumnsOf(model) };
}
