import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRng } from "@/lib/ml/random";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, customers, retentionActions, upliftModels } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { type TrainedVersion, telcoLikeCsv, trainVersion } from "../../testing/trained-dataset";
import { clearAnalyticsCache } from "../analytics";
import { useTemporaryDataDir } from "../datasets/test-helpers";

/**
 * Seeds a campaign with a 50 % hold-out and outcomes where the action only helps month-to-month
 * customers (churn 50 % → 10 %); elsewhere everyone churns at 30 %, action or not. The fitted
 * model must then rank month-to-month customers first and beat random on the Qini.
 */
describe.each(testDatabaseKinds())("uplift model through tRPC on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedVersion;
  let users: Record<"manager" | "viewer", Awaited<ReturnType<typeof createUser>>["user"]>;
  const manager = () => callerFor(handle.db, users.manager);
  const viewer = () => callerFor(handle.db, users.viewer);

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    clearAnalyticsCache();
    users = {
      manager: (await createUser(handle.db, "manager")).user,
      viewer: (await createUser(handle.db, "viewer")).user,
    };
    trained = await trainVersion(
      handle.db,
      { id: users.manager.id, label: users.manager.email },
      { name: "Uplift", csv: telcoLikeCsv(1500, 5), algorithms: ["logistic_regression"] },
    );
  }, 240_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  async function assignedCampaign(name: string, contactCount: number) {
    const saved = await manager().campaigns.save({
      name,
      inputs: {
        datasetId: trained.datasetId,
        offerCost: 10,
        acceptanceRate: 0.3,
        value: { source: "monthly", months: 12 },
        contactCount,
      },
    });
    await manager().outcomes.assign({ campaignId: saved.id, seed: 7, holdoutShare: 0.5 });
    return saved.id;
  }

  /** Final outcomes for every action of the campaign, drawn from the rule above. */
  async function recordOutcomes(campaignId: number, seed: number) {
    const rows = await handle.db
      .select({
        id: retentionActions.id,
        isHoldout: retentionActions.isHoldout,
        features: customers.features,
      })
      .from(retentionActions)
      .innerJoin(customers, eq(customers.id, retentionActions.customerId))
      .where(eq(retentionActions.campaignId, campaignId));
    const rng = createRng(seed);
    for (const r of rows) {
      const monthly = r.features.Contract === "Month-to-month";
      const risk = monthly ? (r.isHoldout ? 0.5 : 0.1) : 0.3;
      await handle.db
        .update(retentionActions)
        .set({
          outcome: rng.next() < risk ? "churned" : "retained",
          outcomeSource: "manual",
          outcomeAt: new Date(),
        })
        .where(eq(retentionActions.id, r.id));
    }
    return rows.length;
  }

  // Tests run in a shuffled order: the before and after of recording outcomes are one test.
  it("says what is missing, then fits from recorded outcomes (managers only), stores the Qini and ranks by expected uplift × value", async () => {
    const status = await viewer().uplift.status({ datasetId: trained.datasetId });
    expect(status.model).toBeNull();
    expect(status.missing).toMatch(
      /Record outcomes for at least 200 customers who got an action and 100 hold-out customers/,
    );
    const before = await viewer().uplift.ranking({ datasetId: trained.datasetId });
    expect(before.available).toBe(false);
    if (!before.available) expect(before.message).toBe(status.missing);
    await expect(manager().uplift.fit({ datasetId: trained.datasetId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    const campaignId = await assignedCampaign("Uplift seed", 900);
    const recorded = await recordOutcomes(campaignId, 3);
    expect(recorded).toBeGreaterThanOrEqual(800);

    await expect(viewer().uplift.fit({ datasetId: trained.datasetId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const fitted = await manager().uplift.fit({ datasetId: trained.datasetId });
    expect(fitted.missing).toBeNull();
    expect(fitted.model).not.toBeNull();
    const model = fitted.model;
    if (!model) return;
    expect(model.counts.treated + model.counts.holdout).toBe(recorded);
    expect(model.campaignCount).toBe(1);
    // The action helps a third of the customers: the out-of-fold Qini beats random.
    expect(model.qini.coefficient).toBeGreaterThan(0);
    expect(model.qini.points[0]).toMatchObject({ share: 0, gain: 0 });
    expect(model.qini.points.at(-1)?.share).toBe(1);
    expect(model.sentence).toMatch(/better than picking customers at random/);

    const [stored] = await handle.db.select().from(upliftModels).where(eq(upliftModels.id, model.id));
    expect(stored.datasetVersionId).toBe(trained.datasetVersionId);
    const [audit] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "uplift.fit"), eq(auditLog.targetId, String(trained.datasetId))));
    expect(audit.details).toMatchObject({ modelId: model.id, treated: model.counts.treated });

    const ranking = await viewer().uplift.ranking({ datasetId: trained.datasetId, limit: 50 });
    expect(ranking.available).toBe(true);
    if (!ranking.available) return;
    expect(ranking.modelId).toBe(model.id);
    expect(ranking.targets).toHaveLength(50);
    for (let k = 1; k < ranking.targets.length; k++)
      expect(ranking.targets[k - 1].expectedSavedValue).toBeGreaterThanOrEqual(
        ranking.targets[k].expectedSavedValue,
      );
    for (const t of ranking.targets) {
      expect(t.uplift).toBeCloseTo(t.riskWithout - t.riskWith, 10);
      expect(t.expectedSavedValue).toBeCloseTo(t.uplift * t.value, 6);
    }
    // The top of the ranking is the month-to-month customers the action helps.
    const top = await handle.db
      .select({ id: customers.id, features: customers.features })
      .from(customers)
      .where(eq(customers.datasetVersionId, trained.datasetVersionId));
    const contractOf = new Map(top.map((c) => [Number(c.id), c.features.Contract]));
    const monthlyTop = ranking.targets.filter((t) => contractOf.get(t.customerId) === "Month-to-month");
    expect(monthlyTop.length).toBeGreaterThanOrEqual(45);
    expect(ranking.helped).toBeGreaterThan(0);
    expect(ranking.expectedSavedValue).toBeGreaterThan(0);

    // A flat value ranks by uplift alone.
    const flat = await viewer().uplift.ranking({
      datasetId: trained.datasetId,
      value: { source: "flat", amount: 100 },
      limit: 10,
      contactCount: 10,
    });
    if (!flat.available) throw new Error(flat.message);
    expect(flat.contacted).toBe(10);
    expect(flat.expectedKept).toBeCloseTo(
      flat.targets.reduce((s, t) => s + t.uplift, 0),
      10,
    );
  }, 120_000);

  it("rejects a missing dataset and bad input", async () => {
    await expect(viewer().uplift.status({ datasetId: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      viewer().uplift.ranking({ datasetId: trained.datasetId, limit: 10_000 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
