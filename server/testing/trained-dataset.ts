/**
 * A dataset with a trained champion, for tests of everything downstream of training (predictions,
 * customers, the REST API, batch scoring). Telco-like rows from the sample generator, so the
 * retention playbook's Telco rules have their columns; training runs through the real pipeline.
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

export interface TrainedDataset {
  datasetId: number;
  datasetVersionId: number;
  runId: number;
  championId: number;
  /** The CSV text that was imported (header + rows). */
  csv: string;
}

export function telcoLikeCsv(rows: number, seed = 11): string {
  return toCsv(generateTelcoLikeRows(rows, seed));
}

/**
 * Imports `rows` Telco-like customers as dataset `name` and trains `algorithms` (default: logistic
 * regression and boosting, a few seconds). Needs DATA_DIR pointing at a temporary folder
 * (useTemporaryDataDir) because artifacts go through the storage adapter.
 */
export async function createTrainedDataset(
  db: Database,
  actor: Actor,
  options: { name: string; rows?: number; seed?: number; algorithms?: Algorithm[]; csv?: string },
): Promise<TrainedDataset> {
  const csv = options.csv ?? telcoLikeCsv(options.rows ?? 600, options.seed ?? 11);
  const imported = await importDatasetFromFile(db, actor, {
    bytes: new TextEncoder().encode(csv),
    name: options.name,
    fileName: `${options.name}.csv`,
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
    csv,
  };
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
