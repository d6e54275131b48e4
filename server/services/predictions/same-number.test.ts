/**
 * One customer, three doors: the REST API (route handler with an API key), the tRPC procedure of
 * the Predict page, and the command line with the model file downloaded from the app. All three
 * must give exactly the same risk score, because they share one Predictor.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { models } from "../../db/schema";
import { getStorage } from "../../storage";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";
import { createApiKey } from "../api-keys";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { requestLogFor } from "../rest-api";

const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/db/client")>();
  return { ...original, getDb: async () => state.db };
});
const { POST } = await import("@/app/api/v1/predict/route");

const customer = {
  gender: "Male",
  SeniorCitizen: "1",
  Partner: "No",
  Dependents: "No",
  tenure: 7,
  PhoneService: "Yes",
  MultipleLines: "Yes",
  InternetService: "DSL",
  OnlineSecurity: "No",
  OnlineBackup: "Yes",
  DeviceProtection: "No",
  TechSupport: "No",
  StreamingTV: "No",
  StreamingMovies: "Yes",
  Contract: "One year",
  PaperlessBilling: "No",
  PaymentMethod: "Mailed check",
  MonthlyCharges: 61.25,
  TotalCharges: 420.5,
};

describe.each(testDatabaseKinds())("the same customer gets the same number everywhere on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  const tmp = mkdtempSync(path.join(tmpdir(), "churnguard-same-"));

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    state.db = handle.db;
    const { user } = await createUser(handle.db, "admin");
    trained = await createTrainedDataset(
      handle.db,
      { id: user.id, label: user.email },
      { name: "Same number" },
    );
  }, 120_000);
  afterAll(async () => {
    await requestLogFor(handle.db).flush();
    await handle?.close();
    dataDir?.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("REST API, tRPC and CLI agree to the last digit", async () => {
    const db = handle.db;
    const { user: admin } = await createUser(db, "admin");
    const key = await createApiKey(
      db,
      { id: admin.id, label: admin.email },
      { name: "Same", scopes: ["predict"] },
    );

    const response = await POST(
      new Request("http://localhost/api/v1/predict", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key.secret}` },
        body: JSON.stringify({ customer_data: customer, dataset_id: trained.datasetId }),
      }),
    );
    expect(response.status).toBe(200);
    const rest = (await response.json()) as { risk_score: number; risk_level: string };

    const { user: viewer } = await createUser(db, "viewer");
    const trpc = await callerFor(db, viewer).predictions.predict({
      datasetId: trained.datasetId,
      customer: Object.entries(customer),
    });

    const [champion] = await db.select().from(models).where(eq(models.id, trained.championId));
    const modelFile = path.join(tmp, "model.json");
    writeFileSync(modelFile, await getStorage().getBytes(champion.artifactKey));
    const input = path.join(tmp, "customer.json");
    writeFileSync(input, JSON.stringify(customer));
    const cli = spawnSync(
      "npx",
      ["tsx", "scripts/churnguard.ts", "predict", modelFile, "--input", input, "--json"],
      {
        cwd: path.resolve(import.meta.dirname, "../../.."),
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    expect(cli.stderr).toBe("");
    const offline = JSON.parse(cli.stdout).predictions[0] as { risk_score: number; risk_level: string };

    expect(trpc.prediction.riskScore).toBe(rest.risk_score);
    expect(offline.risk_score).toBe(rest.risk_score);
    expect(new Set([rest.risk_level, trpc.prediction.riskLevel, offline.risk_level]).size).toBe(1);
  }, 120_000);
});
