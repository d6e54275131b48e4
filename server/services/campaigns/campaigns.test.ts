import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, campaignTargets, customers, scores } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";
import { clearAnalyticsCache } from "../analytics";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { exportCampaignTargets, previewCampaign } from ".";

describe.each(testDatabaseKinds())("campaign planner on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  let users: Record<"manager" | "viewer", Awaited<ReturnType<typeof createUser>>["user"]>;
  type Row = { id: number; risk: number; value: number | null; label: number | null; contract: string };
  let rows: Row[];
  const economics = { offerCost: 20, acceptanceRate: 0.3 };

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    clearAnalyticsCache();
    users = {
      manager: (await createUser(handle.db, "manager")).user,
      viewer: (await createUser(handle.db, "viewer")).user,
    };
    trained = await createTrainedDataset(
      handle.db,
      { id: users.manager.id, label: users.manager.email },
      { name: "Campaigns", algorithms: ["logistic_regression"] },
    );
    const stored = await handle.db
      .select({
        id: customers.id,
        risk: scores.riskScore,
        value: customers.monthlyValue,
        label: customers.label,
        features: customers.features,
      })
      .from(scores)
      .innerJoin(customers, eq(customers.id, scores.customerId))
      .where(eq(scores.modelId, trained.championId));
    rows = stored.map((r) => ({ ...r, id: Number(r.id), contract: String(r.features.Contract) }));
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  /** Every N tried by hand over the active customers ranked by risk (ties by customer id). */
  function bruteForce(eligible: Row[], value: (r: Row) => number) {
    const ranked = [...eligible].sort((a, b) => b.risk - a.risk || a.id - b.id);
    let best = { n: 0, profit: 0 };
    for (let n = 1; n <= ranked.length; n++) {
      const profit = ranked
        .slice(0, n)
        .reduce((s, r) => s + r.risk * economics.acceptanceRate * value(r) - economics.offerCost, 0);
      if (profit > best.profit + 1e-6) best = { n, profit };
    }
    return { ...best, ranked };
  }

  it("plans on active customers only and finds the same best N as a brute-force search", async () => {
    const plan = await previewCampaign(handle.db, {
      datasetId: trained.datasetId,
      ...economics,
      value: { source: "monthly", months: 12 },
    });
    const active = rows.filter((r) => r.label !== 1);
    expect(plan.eligible).toBe(active.length);
    const expected = bruteForce(active, (r) => (r.value ?? 0) * 12);
    expect(plan.best.contacted).toBe(expected.n);
    expect(plan.best.profit).toBeCloseTo(expected.profit, 0);
    expect(plan.chosen).toEqual(plan.best);
    expect(plan.best.cost).toBe(expected.n * economics.offerCost);
    expect(plan.best.profitLower).toBeLessThanOrEqual(plan.best.profitUpper ?? 0);
    expect(plan.preview).toHaveLength(Math.min(20, expected.n));
    const lost = new Set(rows.filter((r) => r.label === 1).map((r) => r.id));
    for (const [k, t] of plan.preview.entries()) {
      expect(lost.has(t.customerId)).toBe(false);
      expect(t.customerId).toBe(expected.ranked[k].id);
      expect(t.reason.length).toBeGreaterThan(0);
    }
    expect(plan.preview.some((t) => t.action !== null)).toBe(true);
    expect(plan.curve[0].contacted).toBe(0);
    expect(plan.currency).toBe("USD");
  });

  it("applies the segment filter, the budget cap, a chosen count and the lifetime value", async () => {
    const base = {
      datasetId: trained.datasetId,
      ...economics,
      value: { source: "monthly" as const, months: 12 },
    };
    const m2m = await previewCampaign(handle.db, {
      ...base,
      filters: [{ column: "Contract", value: "Month-to-month" }],
    });
    expect(m2m.eligible).toBe(rows.filter((r) => r.label !== 1 && r.contract === "Month-to-month").length);
    const capped = await previewCampaign(handle.db, { ...base, budget: 10 * economics.offerCost + 5 });
    expect(capped.maxContacts).toBe(10);
    expect(capped.chosen.contacted).toBeLessThanOrEqual(10);
    const chosen = await previewCampaign(handle.db, { ...base, contactCount: 3 });
    expect(chosen.chosen.contacted).toBe(3);
    expect(chosen.preview).toHaveLength(3);
    const lifetime = await previewCampaign(handle.db, { ...base, value: { source: "lifetime" } });
    expect(lifetime.valueNote).toMatch(/expected remaining months/);
    expect(lifetime.preview.every((t) => t.customerValue > 0)).toBe(true);
    await expect(
      previewCampaign(handle.db, { ...base, filters: [{ column: "tenure", value: "1" }] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(previewCampaign(handle.db, { ...base, acceptanceRate: 0 })).rejects.toThrow();
  });

  it("lets managers save a plan with its frozen targets; everyone lists, reads and exports it", async () => {
    const inputs = {
      datasetId: trained.datasetId,
      ...economics,
      value: { source: "monthly" as const, months: 12 },
      contactCount: 30,
    };
    await expect(
      callerFor(handle.db, users.viewer).campaigns.save({ name: "Viewer plan", inputs }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const saved = await callerFor(handle.db, users.manager).campaigns.save({ name: "  Q3 =calls  ", inputs });
    expect(saved).toMatchObject({ name: "Q3 =calls", targetCount: 30 });
    const preview = await previewCampaign(handle.db, inputs);
    expect(saved.summary.profit).toBeCloseTo(preview.chosen.profit, 2);

    const targets = await handle.db
      .select()
      .from(campaignTargets)
      .where(eq(campaignTargets.campaignId, saved.id))
      .orderBy(asc(campaignTargets.rank));
    expect(targets.map((t) => t.rank)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(targets.slice(0, 20).map((t) => Number(t.customerId))).toEqual(
      preview.preview.map((t) => t.customerId),
    );
    for (let i = 1; i < targets.length; i++)
      expect(targets[i].riskScore).toBeLessThanOrEqual(targets[i - 1].riskScore);
    const [audit] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "campaign.create"), eq(auditLog.targetId, String(saved.id))));
    expect(audit.actorId).toBe(users.manager.id);

    const viewer = callerFor(handle.db, users.viewer);
    const list = await viewer.campaigns.list({ datasetId: trained.datasetId });
    expect(list[0]).toMatchObject({ id: saved.id, name: "Q3 =calls", targetCount: 30 });
    const detail = await viewer.campaigns.get({ campaignId: saved.id, pageSize: 10, page: 3 });
    expect(detail.targets.map((t) => t.rank)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    expect(detail.pageCount).toBe(3);
    await expect(viewer.campaigns.get({ campaignId: 987_654 })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const csv = await exportCampaignTargets(handle.db, saved.id);
    expect(csv.fileName).toBe("Q3-calls-targets.csv");
    let text = "";
    for await (const chunk of csv.body) text += chunk;
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(
      "\ufeffrank,customer_id,risk_score,risk_level,customer_value,expected_saved_value,reason,recommended_action",
    );
    expect(lines).toHaveLength(31);
    expect(lines[1].startsWith(`1,${targets[0].externalId},`)).toBe(true);
    await expect(callerFor(handle.db, null).campaigns.list({})).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});
