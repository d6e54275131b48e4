/**
 * A dataset with a trained champion, for tests of everything downstream of training (predictions,
 * customers, the REST API, batch scoring). Telco-like rows from the sample generator, so the
 * retention playbook's Telco rules have their columns; training runs through the real pipeline.
 *
 * It is never the only dataset, nor its own first version: a neighbour dataset (two versions, two
 * runs, its own champion) is trained first, and the dataset itself has an earlier version trained
 * by an earlier run. With the test databases' id ranges (id-offsets.ts) every id differs from
 * every other, so a query that forgets a dataset or version filter, or compares the wrong ids,
 * shows up as other customers, another champion or nobody at all.
 */
import { and, eq } from "drizzle-orm";
import { generateTelcoLikeRows, toCsv } from "@/data/generate-sample";
import type { Algorithm } from "@/lib/ml/types";
import type { Database } from "../db/client";
import { models } from "../db/schema";
import type { Actor } from "../services/audit";
import { importDatasetFromFile } from "../services/datasets";
import { startTraining } from "../services/training";
import { runUntilFinished, testRunner } from "../services/training/test-helpers";

export interface TrainedVersion {
  datasetId: number;
  datasetVersionId: number;
  runId: number;
  championId: number;
}

export interface TrainedDataset extends TrainedVersion {
  /** The CSV text that was imported as the trained version (header + rows). */
  csv: string;
  /** The dataset's previous version and its run (one logistic regression, now archived). */
  earlier: TrainedVersion;
  /** Another dataset trained before this one: its first and its latest (champion) version. */
  neighbour: { name: string; first: TrainedVersion; latest: TrainedVersion };
}

export function telcoLikeCsv(rows: number, seed = 11): string {
  return toCsv(generateTelcoLikeRows(rows, seed));
}

/** Rows of the earlier versions and of the neighbour: small, one algorithm, for speed. */
const SIDE_ROWS = 200;

/** Imports `csv` as the next version of dataset `name` and trains it to the end. */
export async function trainVersion(
  db: Database,
  actor: Actor,
  options: { name: string; csv: string; fileName?: string; algorithms?: Algorithm[] },
): Promise<TrainedVersion> {
  const imported = await importDatasetFromFile(db, actor, {
    bytes: new TextEncoder().encode(options.csv),
    name: options.name,
    fileName: options.fileName ?? `${options.name}.csv`,
  });
  const run = await startTraining(db, actor, {
    datasetVersionId: imported.datasetVersionId,
    algorithms: options.algorithms ?? ["logistic_regression", "gradient_boosting"],
    folds: 3,
  });
  const finished = await runUntilFinished(testRunner(db), db, run.id);
  if (finished.status !== "succeeded") throw new Error(`Training failed: ${finished.error}`);
  const [champion] = await db
    .select({ id: models.id })
    .from(models)
    .where(and(eq(models.runId, run.id), eq(models.status, "champion")));
  if (!champion) throw new Error(`Run ${run.id} registered no champion`);
  return {
    datasetId: imported.datasetId,
    datasetVersionId: imported.datasetVersionId,
    runId: run.id,
    championId: champion.id,
  };
}

/**
 * Trains the neighbour dataset `<name> (neighbour)` (two versions, a run each), then dataset `name`:
 * an earlier version of its own, then `rows` Telco-like customers (or `csv`) trained with
 * `algorithms` (default: logistic regression and boosting). The returned ids are the latter's.
 * Needs DATA_DIR pointing at a temporary folder (useTemporaryDataDir) because artifacts go
 * through the storage adapter.
 */
export async function createTrainedDataset(
  db: Database,
  actor: Actor,
  options: { name: string; rows?: number; seed?: number; algorithms?: Algorithm[]; csv?: string },
): Promise<TrainedDataset> {
  const seed = options.seed ?? 11;
  const side: Algorithm[] = ["logistic_regression"];
  const neighbourName = `${options.name} (neighbour)`;
  const first = await trainVersion(db, actor, {
    name: neighbourName,
    csv: telcoLikeCsv(SIDE_ROWS, seed + 101),
    algorithms: side,
  });
  const latest = await trainVersion(db, actor, {
    name: neighbourName,
    csv: telcoLikeCsv(SIDE_ROWS, seed + 102),
    algorithms: side,
  });
  const earlier = await trainVersion(db, actor, {
    name: options.name,
    csv: telcoLikeCsv(SIDE_ROWS, seed + 103),
    fileName: `${options.name}-earlier.csv`,
    algorithms: side,
  });
  const csv = options.csv ?? telcoLikeCsv(options.rows ?? 600, seed);
  const trained = await trainVersion(db, actor, { name: options.name, csv, algorithms: options.algorithms });
  return { ...trained, csv, earlier, neighbour: { name: neighbourName, first, latest } };
}

/**
 * A textbook churner in the Telco columns (two months in, month-to-month fibre, electronic check):
 * the customer the prediction, insight and REST API tests score.
 */
export const TELCO_CHURNER = {
  gender: "Female",
  SeniorCitizen: "0",
  Partner: "Yes",
  Dependents: "No",
  tenure: 2,
  PhoneService: "Yes",
  MultipleLines: "No",
  InternetService: "Fiber optic",
  OnlineSecurity: "No",
  OnlineBackup: "No",
  DeviceProtection: "No",
  TechSupport: "No",
  StreamingTV: "Yes",
  StreamingMovies: "Yes",
  Contract: "Month-to-month",
  PaperlessBilling: "Yes",
  PaymentMethod: "Electronic check",
  MonthlyCharges: 95.5,
  TotalCharges: 190.2,
};
