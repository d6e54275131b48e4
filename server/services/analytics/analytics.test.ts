import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kaplanMeier, remainingLifetimeOf, remainingLifetimeTable } from "@/lib/analytics/kaplan-meier";
import type { DatabaseHandle } from "../../db/client";
import { customers, scores } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset, telcoLikeCsv } from "../../testing/trained-dataset";
import type { Actor } from "../audit";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { scoreModelCustomers } from "../scoring/score-model";
import { RISK_BANDS_SETTING, setSetting } from "../settings";
import {
  analyseRetention,
  analyticsFileName,
  analyticsOverview,
  clearAnalyticsCache,
  exploreSegments,
  retentionCsv,
  riskTrend,
  riskTrendCsv,
  segmentsCsv,
} from ".";

describe.each(testDatabaseKinds())("analytics on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let actor: Actor;
  let trained: TrainedDataset;
  type Row = {
    id: number;
    risk: number;
    level: string;
    value: number | null;
    label: number | null;
    features: Record<string, string | number | null>;
    drivers: { column: string; contribution: number }[];
  };
  let rows: Row[];

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    clearAnalyticsCache();
    const { user } = await createUser(handle.db, "manager");
    actor = { id: user.id, label: user.email };
    trained = await createTrainedDataset(handle.db, actor, {
      name: "Analytics",
      algorithms: ["logistic_regression"],
    });
    rows = await handle.db
      .select({
        id: customers.id,
        risk: scores.riskScore,
        level: scores.riskLevel,
        value: customers.monthlyValue,
        label: customers.label,
        features: customers.features,
        drivers: scores.drivers,
      })
      .from(scores)
      .innerJoin(customers, eq(customers.id, scores.customerId))
      .where(eq(scores.modelId, trained.championId));
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("groups customers by a column: active and lost, observed churn, risk and revenue of active customers only", async () => {
    const explorer = await exploreSegments(handle.db, {
      datasetId: trained.datasetId,
      columns: ["Contract"],
    });
    expect(explorer.championId).toBe(trained.championId);
    const contracts = [...new Set(rows.map((r) => r.features.Contract as string))];
    expect(explorer.rows).toHaveLength(contracts.length);
    for (const segment of explorer.rows) {
      const value = segment.key[0].value;
      const inSegment = rows.filter((r) => r.features.Contract === value);
      const active = inSegment.filter((r) => r.label !== 1);
      const lost = inSegment.filter((r) => r.label === 1);
      expect(segment.customers).toBe(inSegment.length);
      expect(segment.active).toBe(active.length);
      expect(segment.lost).toBe(lost.length);
      expect(segment.observedChurnRate).toBeCloseTo(lost.length / inSegment.length, 9);
      expect(segment.meanRisk).toBeCloseTo(active.reduce((s, r) => s + r.risk, 0) / active.length, 5);
      expect(segment.highRisk).toBe(active.filter((r) => r.level === "high").length);
      // Lost customers' charges are not revenue at risk.
      expect(segment.revenueAtRisk).toBeCloseTo(
        active.reduce((s, r) => s + (r.value ?? 0) * r.risk, 0),
        2,
      );
      expect(segment.customerFilters).toEqual([{ column: "Contract", value }]);
      for (const driver of segment.topDrivers) {
        const sum = active.reduce(
          (s, r) => s + (r.drivers.find((d) => d.column === driver.column)?.contribution ?? 0),
          0,
        );
        expect(driver.segmentPoints).toBeCloseTo(sum / active.length, 6);
      }
    }
    const lostTotal = rows.filter((r) => r.label === 1).length;
    expect(lostTotal).toBeGreaterThan(0);
    expect(explorer.totals).toMatchObject({
      customers: rows.length,
      lost: lostTotal,
      active: rows.length - lostTotal,
    });
    expect(explorer.totals?.highRisk).toBe(rows.filter((r) => r.label !== 1 && r.level === "high").length);
  });

  it("bins a numeric column at its quartiles and crosses two columns for the heat map", async () => {
    const byTenure = await exploreSegments(handle.db, {
      datasetId: trained.datasetId,
      columns: ["tenure"],
      bins: 4,
    });
    expect(byTenure.columns[0].type).toBe("numeric");
    expect(byTenure.rows.length).toBeGreaterThanOrEqual(3);
    expect(byTenure.rows.reduce((s, r) => s + r.customers, 0)).toBe(rows.length);
    expect(byTenure.rows.every((r) => r.customerFilters === null)).toBe(true);
    expect(byTenure.columns[0].labels[0]).toMatch(/^under /);
    // Short-tenure customers leave more often than long-tenure ones (the generator's structure).
    const first = byTenure.rows.find((r) => r.key[0].label === byTenure.columns[0].labels[0]);
    const last = byTenure.rows.find((r) => r.key[0].label === byTenure.columns[0].labels.at(-1));
    expect(first?.observedChurnRate ?? 0).toBeGreaterThan(last?.observedChurnRate ?? 1);

    const crossed = await exploreSegments(handle.db, {
      datasetId: trained.datasetId,
      columns: ["Contract", "InternetService"],
    });
    expect(crossed.rows.reduce((s, r) => s + r.customers, 0)).toBe(rows.length);
    expect(crossed.rows.every((r) => r.key.length === 2)).toBe(true);
    const cell = crossed.rows[0];
    expect(cell.customers).toBe(
      rows.filter(
        (r) => r.features.Contract === cell.key[0].value && r.features.InternetService === cell.key[1].value,
      ).length,
    );
  });

  it("refuses columns the dataset cannot be grouped by, and unknown datasets", async () => {
    for (const columns of [["Churn"], ["customerID"], ["no such column"], ["__proto__"]]) {
      await expect(
        exploreSegments(handle.db, { datasetId: trained.datasetId, columns }),
      ).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    }
    await expect(
      exploreSegments(handle.db, { datasetId: 987_654, columns: ["Contract"] }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("draws Kaplan–Meier retention over tenure, per contract, with remaining lifetimes of active customers", async () => {
    const overview = await analyticsOverview(handle.db, trained.datasetId);
    expect(overview.duration.detected).toBe("tenure");
    const retention = await analyseRetention(handle.db, {
      datasetId: trained.datasetId,
      segmentColumn: "Contract",
    });
    expect(retention.durationColumn).toBe("tenure");
    expect(retention.unit).toBe("months");
    // The same curve computed here from the rows.
    const counts = new Map<number, { time: number; events: number; censored: number }>();
    for (const r of rows) {
      const t = r.features.tenure;
      if (typeof t !== "number") continue;
      const c = counts.get(Math.floor(t)) ?? { time: Math.floor(t), events: 0, censored: 0 };
      if (r.label === 1) c.events += 1;
      else c.censored += 1;
      counts.set(c.time, c);
    }
    const expected = kaplanMeier([...counts.values()]);
    expect(retention.overall?.customers).toBe(expected.customers);
    expect(retention.overall?.medianLifetime).toBe(expected.medianLifetime);
    expect(retention.overall?.points.map((p) => p.survival)).toEqual(expected.points.map((p) => p.survival));
    expect(retention.segments.map((s) => s.label).sort()).toEqual(
      [...new Set(rows.map((r) => r.features.Contract as string))].sort(),
    );
    // Month-to-month customers leave sooner than two-year ones.
    const m2m = retention.segments.find((s) => s.label === "Month-to-month");
    const twoYear = retention.segments.find((s) => s.label === "Two year");
    expect(m2m?.points.at(-1)?.survival ?? 1).toBeLessThan(twoYear?.points.at(-1)?.survival ?? 0);
    const table = remainingLifetimeTable(expected);
    const active = rows.filter((r) => r.label !== 1 && typeof r.features.tenure === "number");
    const remaining = active.map((r) => remainingLifetimeOf(table, Math.floor(r.features.tenure as number)));
    expect(retention.active?.customers).toBe(active.length);
    expect(retention.active?.meanRemaining).toBeCloseTo(
      remaining.reduce((s, x) => s + x, 0) / active.length,
      4,
    );
    expect(retention.active?.lifetimeValue).toBeCloseTo(
      active.reduce((s, r, i) => s + (r.value ?? 0) * remaining[i], 0),
      0,
    );
    await expect(
      analyseRetention(handle.db, { datasetId: trained.datasetId, durationColumn: "Contract" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("tracks mean risk and high-risk count per scoring model", async () => {
    const trend = await riskTrend(handle.db, { datasetId: trained.datasetId });
    // The dataset's earlier version was scored by its own (now archived) model first: one point
    // per model, oldest first, each over the customers of the version it scored.
    expect(trend.models.map((m) => m.modelId)).toEqual([trained.earlier.championId, trained.championId]);
    expect(trend.models[0].status).toBe("archived");
    const active = rows.filter((r) => r.label !== 1);
    expect(trend.models[1]).toMatchObject({
      modelId: trained.championId,
      status: "champion",
      customers: active.length,
      highRisk: active.filter((r) => r.level === "high").length,
    });
    expect(trend.models[1].meanRisk).toBeCloseTo(active.reduce((s, r) => s + r.risk, 0) / active.length, 5);
    expect(trend.batches).toEqual([]);
  });

  it("is for signed-in users; viewers read every analytics procedure", async () => {
    await expect(callerFor(handle.db, null).analytics.datasets()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    const { user: viewer } = await createUser(handle.db, "viewer");
    const api = callerFor(handle.db, viewer);
    expect((await api.analytics.datasets()).find((d) => d.id === trained.datasetId)?.hasChampion).toBe(true);
    const overview = await api.analytics.overview({ datasetId: trained.datasetId });
    expect(overview.champion?.id).toBe(trained.championId);
    expect(overview.champion?.quality.sentence).toMatch(/leavers/);
    expect(overview.suggestedColumns.length).toBeGreaterThan(0);
    expect(overview.currency).toBe("USD");
    expect(
      (await api.analytics.segments({ datasetId: trained.datasetId, columns: ["Contract"] })).rows.length,
    ).toBe(3);
    expect((await api.analytics.retention({ datasetId: trained.datasetId })).overall).not.toBeNull();
    expect((await api.analytics.riskTrend({ datasetId: trained.datasetId })).models).toHaveLength(2);
    await expect(
      api.analytics.segments({ datasetId: trained.datasetId, columns: ["Contract", "Contract"] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("exports analytics tables as CSV with injection-safe cells", async () => {
    const explorer = await exploreSegments(handle.db, {
      datasetId: trained.datasetId,
      columns: ["Contract"],
    });
    const hostile = {
      ...explorer,
      rows: [{ ...explorer.rows[0], key: [{ column: "Contract", value: "=1+1", label: "=1+1" }] }],
    };
    const csv = segmentsCsv(hostile);
    expect(csv.split("\r\n")[0]).toBe(
      "\ufeffContract,customers,active_customers,lost_customers,observed_churn_rate,mean_risk_active,high_risk_active,monthly_revenue_at_risk,top_drivers",
    );
    expect(csv.split("\r\n")[1].startsWith("'=1+1,")).toBe(true);
    const retention = retentionCsv(await analyseRetention(handle.db, { datasetId: trained.datasetId }));
    expect(retention.split("\r\n")[1]).toMatch(/^All customers,0,600,/);
    const trend = riskTrendCsv(await riskTrend(handle.db, { datasetId: trained.datasetId }));
    expect(trend.split("\r\n")).toHaveLength(4); // header, two models, trailing line end
    expect(analyticsFileName("Telco / 2024", "segments", ["Contract"])).toBe(
      "Telco-2024-segments-Contract.csv",
    );
  });

  it("treats hostile column names as data: segments, retention and a campaign filter on them", async () => {
    const lines = telcoLikeCsv(300, 5).split("\n");
    lines[0] = lines[0]
      .replace("PaymentMethod", "__proto__")
      .replace("Contract", "constructor")
      .replace("InternetService", `"x'); drop table scores; --"`)
      .replace("tenure", "tenure.months");
    const hostile = await createTrainedDataset(handle.db, actor, {
      name: "Hostile columns",
      algorithms: ["logistic_regression"],
      csv: lines.join("\n"),
    });
    const crossed = await exploreSegments(handle.db, {
      datasetId: hostile.datasetId,
      columns: ["constructor", "x'); drop table scores; --"],
    });
    expect(crossed.columns.map((c) => c.name)).toEqual(["constructor", "x'); drop table scores; --"]);
    expect(crossed.rows.reduce((sum, r) => sum + r.customers, 0)).toBe(300);
    expect(new Set(crossed.rows.map((r) => r.key[0].label))).toEqual(
      new Set(["Month-to-month", "One year", "Two year"]),
    );
    const byProto = await exploreSegments(handle.db, {
      datasetId: hostile.datasetId,
      columns: ["__proto__"],
    });
    expect(byProto.columns.map((c) => c.name)).toEqual(["__proto__"]);
    expect(byProto.rows.reduce((sum, r) => sum + r.customers, 0)).toBe(300);
    expect(byProto.rows.map((r) => r.key[0].label)).toContain("Electronic check");
    expect(segmentsCsv(crossed).split("\r\n")[0]).toMatch(
      /^\ufeffconstructor,x'\); drop table scores; --,customers,/,
    );
    const retention = await analyseRetention(handle.db, {
      datasetId: hostile.datasetId,
      segmentColumn: "constructor",
    });
    expect(retention.durationColumn).toBe("tenure.months");
    expect(retention.segments).toHaveLength(3);
    const { previewCampaign } = await import("../campaigns");
    const plan = await previewCampaign(handle.db, {
      datasetId: hostile.datasetId,
      offerCost: 10,
      acceptanceRate: 0.3,
      value: { source: "lifetime" },
      filters: [
        { column: "constructor", value: "Month-to-month" },
        { column: "__proto__", value: "Electronic check" },
      ],
    });
    const both = await exploreSegments(handle.db, {
      datasetId: hostile.datasetId,
      columns: ["constructor", "__proto__"],
    });
    const m2mElectronic = both.rows
      .filter((r) => r.key[0].label === "Month-to-month" && r.key[1].label === "Electronic check")
      .reduce((sum, r) => sum + r.active, 0);
    expect(m2mElectronic).toBeGreaterThan(0);
    expect(plan.eligible).toBe(m2mElectronic);
  }, 120_000);

  /** The figures a person reads, rounded as shown (sums over real columns vary in the last digits). */
  const summaryOf = (explorer: Awaited<ReturnType<typeof exploreSegments>>) =>
    explorer.rows.map((r) => [
      r.key[0].label,
      r.customers,
      r.active,
      r.highRisk,
      Math.round((r.meanRisk ?? 0) * 1e5),
      Math.round(r.revenueAtRisk ?? 0),
    ]);

  it("serves cached numbers until new scores are written, then recomputes", async () => {
    clearAnalyticsCache();
    const input = { datasetId: trained.datasetId, columns: ["Contract"] };
    const before = await exploreSegments(handle.db, input);
    // A write that bypasses scoring (no generation bump): the cache keeps answering.
    await handle.db
      .update(scores)
      .set({ riskScore: 0.999, riskLevel: "high" })
      .where(eq(scores.modelId, trained.championId));
    expect(await exploreSegments(handle.db, input)).toEqual(before);
    // Rescoring (here with lower risk bands) writes the model's scores and bumps the generation.
    await setSetting(handle.db, actor, RISK_BANDS_SETTING, { medium: 0.2, high: 0.4 });
    await scoreModelCustomers(handle.db, trained.championId);
    const after = await exploreSegments(handle.db, input);
    const active = rows.filter((r) => r.label !== 1);
    expect(after.totals?.highRisk).toBe(active.filter((r) => r.risk >= 0.4).length);
    expect(after.totals?.highRisk).toBeGreaterThan(before.totals?.highRisk ?? 0);
    expect(after.totals?.meanRisk).toBeCloseTo(before.totals?.meanRisk ?? 0, 5);
    await setSetting(handle.db, actor, RISK_BANDS_SETTING, { medium: 0.3, high: 0.6 });
    await scoreModelCustomers(handle.db, trained.championId);
    expect(summaryOf(await exploreSegments(handle.db, input))).toEqual(summaryOf(before));
  });
});
