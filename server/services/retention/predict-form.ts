/**
 * What the what-if page needs before it scores anything: the datasets it can score (those with a
 * champion) and, for one of them, the champion's inputs as a form (kind, training range,
 * categories, a typical customer as defaults), the risk bands and the base rate.
 */
import { and, asc, eq } from "drizzle-orm";
import { columnRecordOf } from "@/lib/column-record";
import type { InputDescription } from "@/lib/ml/features";
import { type ColumnKind, columnKinds } from "@/lib/retention";
import type { Database } from "../../db/client";
import { datasets, models } from "../../db/schema";
import { loadPredictor, type PredictionModelInfo } from "../predictions";
import type { RiskBands } from "../scoring";
import { getPlaybook } from "./playbook-setting";

export interface PredictDataset {
  id: number;
  name: string;
  modelId: number;
  modelVersion: number;
  algorithm: string;
}

/** Datasets that have a champion, by name. */
export function listPredictDatasets(db: Database): Promise<PredictDataset[]> {
  return db
    .select({
      id: datasets.id,
      name: datasets.name,
      modelId: models.id,
      modelVersion: models.version,
      algorithm: models.algorithm,
    })
    .from(models)
    .innerJoin(datasets, eq(datasets.id, models.datasetId))
    .where(eq(models.status, "champion"))
    .orderBy(asc(datasets.name));
}

export interface PredictFormInput extends InputDescription {
  /** Whether the business can change it (next-best action) or it only describes the customer. */
  actionKind: ColumnKind;
}

export interface PredictForm {
  dataset: { id: number; name: string };
  model: PredictionModelInfo & { trainedAt: Date; promotedAt: Date | null };
  target: string;
  inputs: PredictFormInput[];
  /**
   * A typical customer: training medians (whole when the column is) and most frequent categories,
   * as [column, value] pairs: column names are data (`constructor`, `__proto__`), and neither
   * superjson nor React props accept every name as an object key.
   */
  defaults: [string, string | number][];
  bands: RiskBands;
  /** The model's average prediction: where the waterfall starts. */
  baseRate: number;
}

/** Throws NoChampionError when the dataset does not exist or has no champion. */
export async function getPredictForm(db: Database, datasetId: number): Promise<PredictForm> {
  const predictor = await loadPredictor(db, datasetId);
  const [row] = await db
    .select({ name: datasets.name, createdAt: models.createdAt, promotedAt: models.promotedAt })
    .from(models)
    .innerJoin(datasets, eq(datasets.id, models.datasetId))
    .where(and(eq(models.id, predictor.model.modelId)));
  const playbook = await getPlaybook(db);
  const kinds = columnKinds(
    predictor.inputs.map((i) => i.name),
    playbook.columnKinds,
  );
  const defaults = predictor.inputs.map((input): [string, string | number] => {
    const value = input.defaultValue;
    return [input.name, typeof value === "number" && input.isInteger ? Math.round(value) : value];
  });
  const [typical] = predictor.predict([columnRecordOf(defaults)], { strict: false });
  return {
    dataset: { id: datasetId, name: row?.name ?? `Dataset ${datasetId}` },
    model: {
      ...predictor.model,
      trainedAt: row?.createdAt ?? new Date(0),
      promotedAt: row?.promotedAt ?? null,
    },
    target: predictor.targetColumn,
    inputs: predictor.inputs.map((input) => ({ ...input, actionKind: kinds.get(input.name) ?? "context" })),
    defaults,
    bands: predictor.bands,
    baseRate: typical.base.probability,
  };
}
