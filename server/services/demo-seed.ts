import { randomBytes } from "node:crypto";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { datasets, trainingRuns, users } from "../db/schema";
import { type Actor, SYSTEM_ACTOR } from "./audit";
import { importDatasetFromFile } from "./datasets";
import { passwordProblem } from "./passwords";
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

/** Creates the demo admin on an empty user table; returns its credentials once, else null. */
export async function ensureDemoAdmin(
  db: Database,
  options: { email: string; password?: string },
): Promise<{ email: string; password: string } | null> {
  if ((await countUsers(db)) > 0) return null;
  const password = options.password ?? randomBytes(9).toString("base64url");
  const problem = options.password ? await passwordProblem(options.password) : null;
  if (problem) throw new Error(`DEMO_ADMIN_PASSWORD is not accepted: ${problem}.`);
  const admin = await signUp(
    db,
    { name: "Demo Admin", email: options.email, password },
    { role: "admin", actor: SYSTEM_ACTOR },
  );
  return { email: admin.email, password };
}

/** The acting admin for demo content: the first admin, or the system. */
async function demoActor(db: Database): Promise<Actor> {
  const [admin] = await db.select().from(users).where(eq(users.role, "admin")).orderBy(users.id).limit(1);
  return admin ? { id: admin.id, label: admin.email } : SYSTEM_ACTOR;
}

/**
 * Imports the generated sample data set when no data set exists yet, and queues a training run
 * (the job runner then trains and scores). Safe to call on every start.
 */
export async function ensureSampleData(
  db: Database,
  options: { trainModels: boolean },
): Promise<{ datasetVersionId: number | null; runId: number | null }> {
  const [existing] = await db.select({ n: count() }).from(datasets);
  if (existing.n > 0) return { datasetVersionId: null, runId: null };
  const actor = await demoActor(db);
  const imported = await importDatasetFromFile(db, actor, {
    filePath: SAMPLE_DATASET_FILE,
    name: SAMPLE_DATASET_NAME,
    description: "Generated Telco-like customers (data/README.md): same columns as IBM's Telco churn sample.",
  });
  let runId: number | null = null;
  if (options.trainModels) {
    const [runs] = await db.select({ n: count() }).from(trainingRuns);
    if (runs.n === 0)
      runId = (await startTraining(db, actor, { datasetVersionId: imported.datasetVersionId })).id;
  }
  return { datasetVersionId: imported.datasetVersionId, runId };
}

/** Demo admin (optional), sample data set and a queued training run (optional). */
export async function seedDemo(db: Database, options: SeedOptions): Promise<SeedResult> {
  const admin = options.createAdmin
    ? await ensureDemoAdmin(db, { email: options.adminEmail, password: options.adminPassword })
    : null;
  const sample = await ensureSampleData(db, { trainModels: options.trainModels });
  return { admin, ...sample };
}
