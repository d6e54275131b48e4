import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { customers, scores } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";
import type { Actor } from "../audit";
import { importDatasetFromFile } from "../datasets";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { getDashboardOverview, listDashboardDatasets } from ".";

describe.each(testDatabaseKinds())("dashboard overview on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let actor: Actor;
  let trained: TrainedDataset;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { user } = await createUser(handle.db, "manager");
    actor = { id: user.id, label: user.email };
    trained = await createTrainedDataset(handle.db, actor, { name: "Dashboard" });
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("sums the champion's scores, revenue at risk and observed churn from the stored rows", async () => {
    const db = handle.db;
    const overview = await getDashboardOverview(db, trained.datasetId);
    expect(overview?.champion?.id).toBe(trained.championId);
    // The champion's version (the second of this dataset), never a version picked by another id.
    expect(overview?.dataset).toEqual({
      id: trained.datasetId,
      name: "Dashboard",
      version: 2,
      rowCount: 600,
    });
    const rows = await db
      .select({
        risk: scores.riskScore,
        level: scores.riskLevel,
        value: customers.monthlyValue,
        label: customers.label,
      })
      .from(scores)
      .innerJoin(customers, eq(customers.id, scores.customerId))
      .where(eq(scores.modelId, trained.championId));
    expect(rows).toHaveLength(600);
    expect(overview?.scored?.customers).toBe(600);
    const levels = { low: 0, medium: 0, high: 0 };
    for (const r of rows) levels[r.level as keyof typeof levels] += 1;
    expect(overview?.scored?.levels).toEqual(levels);
    const atRisk = rows.reduce((s, r) => s + (r.value ?? 0) * r.risk, 0);
    expect(overview?.scored?.monthlyRevenueAtRisk).toBeCloseTo(atRisk, 0);
    const highValue = rows.filter((r) => r.level === "high").reduce((s, r) => s + (r.value ?? 0), 0);
    expect(overview?.scored?.monthlyRevenueHighRisk).toBeCloseTo(highValue, 0);
    expect(overview?.observedChurnRate).toBeCloseTo(rows.filter((r) => r.label === 1).length / 600, 9);
    expect(overview?.importance.length).toBeGreaterThan(0);
    expect(overview?.recentRuns.map((r) => r.id)).toEqual([trained.runId, trained.earlier.runId]);
    if (levels.high > 0) {
      expect(overview?.highRiskDrivers.length).toBeGreaterThan(0);
      for (const d of overview?.highRiskDrivers ?? []) expect(d.customers).toBeLessThanOrEqual(levels.high);
    }
  });

  it("shows a dataset without a champion as such, and lists datasets newest first", async () => {
    const db = handle.db;
    const untrained = await importDatasetFromFile(db, actor, {
      bytes: new TextEncoder().encode(trained.csv),
      name: "Dashboard untrained",
      fileName: "untrained.csv",
    });
    const overview = await getDashboardOverview(db, untrained.datasetId);
    expect(overview).toMatchObject({ champion: null, scored: null, importance: [], highRiskDrivers: [] });
    expect(overview?.dataset.rowCount).toBe(600);
    const list = await listDashboardDatasets(db);
    expect(list).toEqual([
      { id: untrained.datasetId, name: "Dashboard untrained", hasChampion: false },
      { id: trained.datasetId, name: "Dashboard", hasChampion: true },
      { id: trained.neighbour.latest.datasetId, name: "Dashboard (neighbour)", hasChampion: true },
    ]);
    expect(await getDashboardOverview(db, 987_654)).toBeNull();
  });

  it("is for signed-in users only and says when a dataset does not exist", async () => {
    const db = handle.db;
    await expect(callerFor(db, null).dashboard.datasets()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const { user: viewer } = await createUser(db, "viewer");
    const api = callerFor(db, viewer);
    expect((await api.dashboard.overview({ datasetId: trained.datasetId })).champion?.id).toBe(
      trained.championId,
    );
    await expect(api.dashboard.overview({ datasetId: 987_654 })).rejects.toBeInstanceOf(TRPCError);
    await expect(api.dashboard.overview({ datasetId: 987_654 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
