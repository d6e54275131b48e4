/**
 * After a promotion two models have scored the same customers: the list, its counts, the export
 * and a customer's page must show each customer once, with the current champion's score, never the
 * former champion's.
 */
import { and, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scoreChampion } from "@/jobs/functions/score-champion";
import { parseCsv } from "@/lib/ml/data";
import type { DatabaseHandle } from "../../db/client";
import { models, scores } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { promoteModel } from "../models";
import { testRunner } from "../training/test-helpers";
import { exportCustomersCsv, getCustomerDetail, listCustomers } from ".";

describe.each(testDatabaseKinds())("customers after a promotion on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  let championId: number;
  let actor: { id: number; label: string };
  /** The new champion's risk score per customer id. */
  const championScores = new Map<number, number>();

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { user } = await createUser(handle.db, "manager");
    actor = { id: user.id, label: user.email };
    trained = await createTrainedDataset(handle.db, actor, { name: "Promoted", rows: 300 });
    const [other] = await handle.db
      .select({ id: models.id })
      .from(models)
      // Another model of the same run: the dataset's earlier version has models too, but they
      // scored other customers.
      .where(and(eq(models.runId, trained.runId), ne(models.id, trained.championId)));
    await promoteModel(handle.db, actor, other.id);
    await testRunner(handle.db, { functions: [scoreChampion] }).drain();
    championId = other.id;
    for (const row of await handle.db.select().from(scores).where(eq(scores.modelId, championId)))
      championScores.set(row.customerId, row.riskScore);
    // Both models have scored the customers: the situation under test.
    const former = await handle.db.select().from(scores).where(eq(scores.modelId, trained.championId));
    expect(former.length).toBeGreaterThan(0);
    expect(championScores.size).toBeGreaterThan(0);
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("lists each customer once, with the current champion's score, and counts them once", async () => {
    const seen: { id: number; riskScore: number }[] = [];
    let pageCount = 1;
    let customers = 0;
    for (let page = 1; page <= pageCount; page++) {
      const list = await listCustomers(handle.db, { datasetId: trained.datasetId, page, pageSize: 100 });
      expect(list.champion?.id).toBe(championId);
      pageCount = list.pageCount;
      customers = list.summary.customers;
      seen.push(...list.rows.map((r) => ({ id: r.id, riskScore: r.riskScore })));
    }
    expect(seen.length).toBe(customers);
    expect(new Set(seen.map((r) => r.id)).size).toBe(seen.length);
    expect(seen.length).toBeLessThanOrEqual(championScores.size);
    for (const row of seen) expect(row.riskScore).toBe(championScores.get(row.id));
  });

  it("exports each customer once", async () => {
    const csv = await exportCustomersCsv(handle.db, { datasetId: trained.datasetId });
    let text = "";
    for await (const part of csv.body) text += part;
    const parsed = parseCsv(text.replace(/^\ufeff/, ""));
    const ids = parsed.rows.map((row) => row[0]);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    const list = await listCustomers(handle.db, { datasetId: trained.datasetId });
    expect(ids.length).toBe(list.summary.customers);
  });

  it("shows a customer's score by the current champion, whichever model that is", async () => {
    const [customerId] = championScores.keys();
    const latestOf = async () => (await getCustomerDetail(handle.db, customerId)).latest;
    expect(await latestOf()).toMatchObject({
      modelId: championId,
      riskScore: championScores.get(customerId),
    });
    // Back to the first champion (its scores are still there), and forward again.
    await promoteModel(handle.db, actor, trained.championId);
    try {
      await testRunner(handle.db, { functions: [scoreChampion] }).drain();
      const [former] = await handle.db
        .select({ riskScore: scores.riskScore })
        .from(scores)
        .where(and(eq(scores.modelId, trained.championId), eq(scores.customerId, customerId)));
      expect(await latestOf()).toMatchObject({ modelId: trained.championId, riskScore: former.riskScore });
    } finally {
      await promoteModel(handle.db, actor, championId);
      await testRunner(handle.db, { functions: [scoreChampion] }).drain();
    }
  });
});
