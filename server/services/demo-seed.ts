import { randomBytes } from "node:crypto";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { datasets, trainingRuns, users } from "../db/schema";
import { type Actor, SYSTEM_ACTOR } from "./audit";
import { importDatasetFromFile } from "./datasets";
import { startTraining } from "./training";
import { countUsers, signUp } from "./users";

export const SAMPLE_DATASET_FILE = path.join(process.cwd(), "data", "telco-sample.csv");
export const SAMPLE_DATASET_NAME = "Telco sample";

export interface SeedOptions {
  createAdmin: boolean;
  trainModels: boolean;
  adminEmail: string;
  /** Random when absent; returned so the caller can print it once. */
  adminPassword?: string;
}

export interface SeedResult {
  admin: { email: string; password: string } | null;
  datasetVersionId: number | null;
  runId: number | null;
}

/**
 * Makes a fresh install useful in a minute: a demo admin, the generated sample data set, and a
 * queued training run (the job runner then trains and scores). Every part is skipped when it
 * already exists, so calling it on every start is safe.
 */
export async function seedDemo(db: Database, options: SeedOptions): Promise<SeedResult> {
  const result: SeedResult = { admin: null, datasetVersionId: null, runId: null };
  let actor: Actor = SYSTEM_ACTOR;
  if (options.createAdmin && (await countUsers(db)) === 0) {
    const password = options.adminPassword ?? randomBytes(9).toString("base64url");
    const admin = await signUp(
      db,
      { name: "Demo Admin", email: options.adminEmail, password },
      { role: "admin", actor: SYSTEM_ACTOR },
    );
    actor = { id: admin.id, label: admin.email };
    result.admin = { email: admin.email, password };
  } else {
    const [admin] = await db.select().from(users).where(eq(users.role, "admin")).limit(1);
    if (admin) actor = { id: admin.id, label: admin.email };
  }

  const [existing] = await db.select({ n: count() }).from(datasets);
  if (existing.n > 0) return result;
  const imported = await importDatasetFromFile(db, actor, {
    filePath: SAMPLE_DATASET_FILE,
    name: SAMPLE_DATASET_NAME,
    description: "Generated Telco-like customers (data/README.md): same columns as IBM's Telco churn sample.",
  });
  result.datasetVersionId = imported.datasetVersionId;

  if (options.trainModels) {
    const [runs] = await db.select({ n: count() }).from(trainingRuns);
    if (runs.n === 0) {
      const run = await startTraining(db, actor, { datasetVersionId: imported.datasetVersionId }, {});
      result.runId = run.id;
    }
  }
  return result;
}
