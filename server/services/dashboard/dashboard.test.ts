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
import { setRiskBands } from "../settings";
import { getDashboardOverview, listDashboardDatasets } from ".";

/** The champion's scores with each customer's label and monthly value, straight from the tables. */
async function scoredRows(handle: DatabaseHandle, championId: number) {
  return handle.db
    .select({
      risk: scores.riskScore,
      level: scores.riskLevel,
      drivers: scores.drivers,
      value: customers.monthlyValue,
      label: customers.label,
    })
    .from(scores)
    .innerJoin(customers, eq(customers.id, scores.customerId))
    .where(eq(scores.modelId, championId));
}

/** The score below which `share` of the values lie. */
function quantile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(share * (sorted.length - 1))];
}

describe.each(testDatabaseKinds())("dashboard overview on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let actor: Actor;
  let trained: TrainedDataset;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { user } = await createUser(handle.db, "admin");
    actor = { id: user.id, label: user.email };
    trained = await createTrainedDataset(handle.db, actor, { name: "Dashboard" });
    // 600 synthetic customers give few scores above the default 0.6: bands at the scores' 40th and
    // 70th percentiles guarantee active and lost customers on every level, so every figure is checked.
    const risks = (await scoredRows(handle, trained.championId)).map((r) => r.risk);
    await setRiskBands(handle.db, actor, { medium: quantile(risks, 0.4), high: quantile(risks, 0.7) });
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("counts active customers' risk and revenue, and lost ones apart, from the stored rows", async () => {
    const overview = await getDashboardOverview(handle.db, trained.datasetId);
    expect(overview?.champion?.id).toBe(trained.championId);
    // The champion's version (the second of this dataset), never a version picked by another id.
    expect(overview?.dataset).toEqual({
      id: trained.datasetId,
      name: "Dashboard",
      version: 2,
      rowCount: 600,
    });

    const rows = await scoredRows(handle, trained.championId);
    expect(rows).toHaveLength(600);
    const active = rows.filter((r) => r.label !== 1);
    const lost = rows.filter((r) => r.label === 1);
    const high = active.filter((r) => r.level === "high");
    // The bands above guarantee these; without them the figures below would check little.
    expect(high.length).toBeGreaterThan(10);
    expect(lost.filter((r) => r.level === "high").length).toBeGreaterThan(10);
    expect(overview?.scored).toEqual({
      customers: active.length,
      lost: lost.length,
      meanRisk: expect.closeTo(active.reduce((s, r) => s + r.risk, 0) / active.length, 6),
      levels: {
        low: active.filter((r) => r.level === "low").length,
        medium: active.filter((r) => r.level === "medium").length,
        high: high.length,
      },
      monthlyRevenueAtRisk: expect.closeTo(
        active.reduce((s, r) => s + (r.value ?? 0) * r.risk, 0),
        2,
      ),
      monthlyRevenueHighRisk: expect.closeTo(
        high.reduce((s, r) => s + (r.value ?? 0), 0),
        2,
      ),
    });
    expect(overview?.observedChurnRate).toBeCloseTo(lost.length / 600, 9);

    // Drivers of active high-risk customers: each column counted once per customer among its top
    // three risk-raising drivers; lost customers left out.
    const counts = new Map<string, number>();
    for (const r of high)
      for (const d of r.drivers)
        if (d.contribution > 0) counts.set(d.column, (counts.get(d.column) ?? 0) + 1);
    const drivers = overview?.highRiskDrivers ?? [];
    expect(drivers.length).toBe(Math.min(5, counts.size));
    for (const d of drivers) expect(d.customers).toBe(counts.get(d.column));
    // The five largest counts, largest first (ties may come in either order of names).
    const largest = [...counts.values()].sort((a, b) => b - a).slice(0, 5);
    expect(drivers.map((d) => d.customers)).toEqual(largest);

    expect(overview?.importance.length).toBeGreaterThan(0);
    expect(overview?.recentRuns.map((r) => r.id)).toEqual([trained.runId, trained.earlier.runId]);
  });

  it("shows the other dataset's own champion, version and figures", async () => {
    const { latest } = trained.neighbour;
    const overview = await getDashboardOverview(handle.db, latest.datasetId);
    expect(overview?.champion?.id).toBe(latest.championId);
    expect(overview?.dataset).toEqual({
      id: latest.datasetId,
      name: "Dashboard (neighbour)",
      version: 2,
      rowCount: 200,
    });
    const rows = await scoredRows(handle, latest.championId);
    expect(rows).toHaveLength(200);
    expect(overview?.scored?.customers).toBe(rows.filter((r) => r.label !== 1).length);
    expect(overview?.scored?.lost).toBe(rows.filter((r) => r.label === 1).length);
    expect(overview?.recentRuns.map((r) => r.id)).toEqual([latest.runId, trained.neighbour.first.runId]);
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
    expect(overview?.dataset).toEqual({
      id: untrained.datasetId,
      name: "Dashboard untrained",
      version: 1,
      rowCount: 600,
    });
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
