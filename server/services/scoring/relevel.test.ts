import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { customers, scores } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { riskLevelOf } from "./risk";

describe.each(testDatabaseKinds())("new risk bands re-level stored scores on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { user } = await createUser(handle.db, "admin");
    trained = await createTrainedDataset(handle.db, { id: user.id, label: user.email }, { name: "Relevel" });
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("applies an admin's bands to every score, and the customers list follows at once", async () => {
    const db = handle.db;
    const { user: admin } = await createUser(db, "admin");
    const api = callerFor(db, admin);
    const before = await api.customers.list({ datasetId: trained.datasetId, levels: ["high"] });
    const stored = await db.select().from(scores).where(eq(scores.modelId, trained.championId));
    for (const s of stored) expect(s.riskLevel).toBe(riskLevelOf(s.riskScore));

    // Bands low enough that most customers become high risk.
    const bands = { medium: 0.1, high: 0.2 };
    await api.settings.setRiskBands(bands);
    const after = await db
      .select({ riskScore: scores.riskScore, riskLevel: scores.riskLevel, label: customers.label })
      .from(scores)
      .innerJoin(customers, eq(customers.id, scores.customerId))
      .where(eq(scores.modelId, trained.championId));
    for (const s of after) expect(s.riskLevel).toBe(riskLevelOf(s.riskScore, bands));
    // The list counts active customers: those whose label says churned are lost, not at risk.
    const expectedHigh = after.filter((s) => s.riskScore >= 0.2 && s.label !== 1).length;
    expect(expectedHigh).toBeGreaterThan(before.summary.customers);
    const list = await api.customers.list({ datasetId: trained.datasetId, levels: ["high"] });
    expect(list.summary.customers).toBe(expectedHigh);
    expect(list.summary.highRisk).toBe(expectedHigh);

    await api.settings.setRiskBands({ medium: 0.3, high: 0.6 });
    const restored = await api.customers.list({ datasetId: trained.datasetId, levels: ["high"] });
    expect(restored.summary.customers).toBe(before.summary.customers);
  });
});
