/**
 * The data every training step works on, recomputed deterministically instead of being passed
 * between steps: step results are small JSON (they are stored per step, and Inngest caps them at
 * 4 MB), while a 7,000-row frame or a split's row lists are not. Loading is the same pure read on
 * every step and the split is seeded, so a step retried on another machine sees identical rows.
 *
 * One process usually runs all steps of a run back to back, so the loaded table is cached per
 * database and dataset version (versions are immutable: a re-upload creates a new version; the
 * database is part of the key because ids repeat across databases, e.g. in tests).
 */
import { buildTrainingSet, type TrainingSet } from "@/lib/ml/data";
import type { Partition } from "@/lib/ml/evaluate";
import { takeLabels } from "@/lib/ml/matrix";
import type { Database } from "../../db/client";
import { processWide } from "../../process-wide";
import { type DatasetVersionRows, loadDatasetVersionRows } from "../datasets";
import { splitFor } from "./compute";
import type { TrainingParams } from "./params";

export { heldOutSample, splitFor } from "./compute";

export interface VersionData {
  table: DatasetVersionRows;
  /** Feature frame and labels of the rows whose target is known. */
  training: TrainingSet;
}

export interface RunData extends VersionData {
  /** Indices into `training` rows: `train` is fitted on, `validation` is the held-out test part. */
  split: Partition;
  trainLabels: Uint8Array;
  testLabels: Uint8Array;
}

const CACHE_SIZE = 2;
interface CacheEntry {
  db: Database;
  datasetVersionId: number;
  data: Promise<VersionData>;
}
// Most recently used last; at most CACHE_SIZE tables (a Telco table with its frame is ~10 MB).
const cache = processWide("trainingData", (): CacheEntry[] => []);

/** The version's rows and training set (cached). Throws DatasetError for a version that cannot be trained on. */
export function loadVersionData(db: Database, datasetVersionId: number): Promise<VersionData> {
  const index = cache.findIndex((e) => e.db === db && e.datasetVersionId === datasetVersionId);
  if (index >= 0) {
    const [entry] = cache.splice(index, 1);
    cache.push(entry);
    return entry.data;
  }
  const data = (async () => {
    const table = await loadDatasetVersionRows(db, datasetVersionId);
    const training = buildTrainingSet({ columns: table.columns, rows: table.rows }, table.schema);
    return { table, training };
  })();
  const entry: CacheEntry = { db, datasetVersionId, data };
  cache.push(entry);
  data.catch(() => {
    const at = cache.indexOf(entry);
    if (at >= 0) cache.splice(at, 1);
  });
  while (cache.length > CACHE_SIZE) cache.shift();
  return data;
}

/** Forgets cached tables (tests; a deleted dataset's rows are dropped with it anyway). */
export function clearTrainingDataCache(): void {
  cache.length = 0;
}

export async function loadRunData(
  db: Database,
  datasetVersionId: number,
  params: Pick<TrainingParams, "seed" | "testFraction">,
): Promise<RunData> {
  const data = await loadVersionData(db, datasetVersionId);
  const split = splitFor(data.training.labels, params);
  return {
    ...data,
    split,
    trainLabels: takeLabels(data.training.labels, split.train),
    testLabels: takeLabels(data.training.labels, split.validation),
  };
}
