import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, customers, retentionActions, retentionAssignments } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset, telcoLikeCsv } from "../../testing/trained-dataset";
import { clearAnalyticsCache } from "../analytics";
import { importDatasetFromFile } from "../datasets";
import { useTemporaryDataDir } from "../datasets/test-helpers";

describe.each(testDatabaseKinds())("retention actions and outcomes on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  let users: Record<"manager" | "viewer" | "admin", Awaited<ReturnType<typeof createUser>>["user"]>;
  const manager = () => callerFor(handle.db, users.manager);
  const viewer = () => callerFor(handle.db, users.viewer);

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    clearAnalyticsCache();
    users = {
      manager: (await createUser(handle.db, "manager")).user,
      viewer: (await createUser(handle.db, "viewer")).user,
      admin: (await createUser(handle.db, "admin")).user,
    };
    trained = await createTrainedDataset(
      handle.db,
      { id: users.manager.id, label: users.manager.email },
      { name: "Outcomes", algorithms: ["logistic_regression"] },
    );
  }, 240_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  // Tests run in a shuffled order: each saves (and assigns) a campaign of its own.
  async function savedCampaign(name: string, datasetId = trained.datasetId, contactCount = 200) {
    const saved = await manager().campaigns.save({
      name,
      inputs: {
        datasetId,
        offerCost: 10,
        acceptanceRate: 0.3,
        value: { source: "monthly", months: 12 },
        contactCount,
      },
    });
    return saved.id;
  }
  const actionsOf = (campaignId: number) =>
    handle.db.select().from(retentionActions).where(eq(retentionActions.campaignId, campaignId));
  async function assignedCampaign(
    name: string,
    options: { ownerId?: number; datasetId?: number; contactCount?: number } = {},
  ) {
    const campaignId = await savedCampaign(name, options.datasetId, options.contactCount);
    await manager().outcomes.assign({ campaignId, seed: 99, ownerId: options.ownerId });
    return campaignId;
  }

  it("refuses viewers, then assigns every target with a recorded, stratified, reproducible hold-out", async () => {
    const campaignId = await savedCampaign("Winter save");
    await expect(viewer().outcomes.assign({ campaignId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      manager().outcomes.assign({ campaignId, ownerId: users.viewer.id, seed: 1 }),
    ).rejects.toThrow(/viewer: only managers and admins own actions/);
    const result = await manager().outcomes.assign({ campaignId, seed: 20_261_205, holdoutShare: 0.1 });
    expect(result).toMatchObject({ seed: 20_261_205, treated: 180, holdout: 20 });
    const rows = await actionsOf(campaignId);
    expect(rows).toHaveLength(200);
    const holdout = rows.filter((r) => r.isHoldout);
    // 200 targets = 10 deciles of 20: two held out from each.
    for (let decile = 1; decile <= 10; decile++)
      expect(holdout.filter((r) => r.riskDecile === decile)).toHaveLength(2);
    for (const r of rows.filter((x) => !x.isHoldout)) {
      expect(r.ownerId).toBe(users.manager.id);
      expect(r.action).toBeTruthy();
      expect(r.dueDate?.getTime()).toBeGreaterThan(Date.now());
    }
    expect(holdout.every((r) => r.ownerId === null && r.dueDate === null)).toBe(true);
    const [assignment] = await handle.db
      .select()
      .from(retentionAssignments)
      .where(eq(retentionAssignments.campaignId, campaignId));
    expect(assignment.seed).toBe(20_261_205);
    await expect(manager().outcomes.assign({ campaignId })).rejects.toMatchObject({ code: "CONFLICT" });
    const [audit] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "campaign.assign"), eq(auditLog.targetId, String(campaignId))));
    expect(audit.details).toMatchObject({ treated: 180, holdout: 20, seed: 20_261_205 });
  });

  it("puts the treated customers in the owner's work queue, and lets a manager record and edit", async () => {
    const owner = (await createUser(handle.db, "manager")).user;
    const campaignId = await assignedCampaign("Queue", { ownerId: owner.id });
    const queue = await callerFor(handle.db, owner).outcomes.mine({ pageSize: 100 });
    expect(queue.total).toBe(180);
    expect(queue.rows.every((r) => !r.isHoldout && r.campaignName === "Queue")).toBe(true);
    expect((await viewer().outcomes.mine({})).total).toBe(0);
    const first = queue.rows[0];
    await expect(
      viewer().outcomes.record({ actionId: first.id, outcome: "contacted" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await manager().outcomes.record({ actionId: first.id, outcome: "accepted" });
    await manager().outcomes.updateAction({
      actionId: first.id,
      action: "Loyalty discount 20 %",
      ownerId: users.admin.id,
    });
    const [row] = await handle.db.select().from(retentionActions).where(eq(retentionActions.id, first.id));
    expect(row).toMatchObject({
      outcome: "accepted",
      outcomeSource: "manual",
      action: "Loyalty discount 20 %",
      ownerId: users.admin.id,
    });
    expect((await callerFor(handle.db, owner).outcomes.mine({ pageSize: 100 })).total).toBe(179);
    expect(
      (await callerFor(handle.db, users.admin).outcomes.mine({ status: "all", pageSize: 100 })).rows.map(
        (r) => r.id,
      ),
    ).toContain(first.id);
    const held = (await actionsOf(campaignId)).find((r) => r.isHoldout);
    await expect(
      manager().outcomes.record({ actionId: Number(held?.id), outcome: "contacted" }),
    ).rejects.toThrow(/hold-out group/);
    await expect(
      manager().outcomes.updateAction({ actionId: Number(held?.id), action: "Call" }),
    ).rejects.toThrow(/gets no action/);
  });

  it("names every bad CSV row by line and column and writes nothing", async () => {
    const campaignId = await assignedCampaign("Bad rows");
    const rows = await actionsOf(campaignId);
    const treated = rows.filter((r) => !r.isHoldout);
    const held = rows.find((r) => r.isHoldout);
    const before = rows.map((r) => [r.id, r.outcome]);
    const csv = [
      "customer_id,outcome,date",
      `${treated[1].externalId},retained,2026-01-10`,
      "NOPE-1,retained,2026-01-10",
      `${treated[2].externalId},maybe,2026-01-10`,
      `${treated[3].externalId},churned,10/01/2026`,
      `${held?.externalId},contacted,2026-01-10`,
      `${treated[1].externalId},churned,2026-01-11`,
    ].join("\n");
    const error = await manager()
      .outcomes.importCsv({ campaignId, csv })
      .catch((e: Error) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    const message = (error as Error).message;
    expect(message).toMatch(/^Nothing was imported/);
    expect(message).toContain('Line 3, column customer_id: "NOPE-1" is not a customer of this campaign');
    expect(message).toContain(
      'Line 4, column outcome: "maybe" (expected one of pending, contacted, accepted, retained, churned)',
    );
    expect(message).toContain('Line 5, column date: "10/01/2026" (expected a date like 2026-03-31)');
    expect(message).toContain("Line 6, column outcome:");
    expect(message).toContain(`Line 7, column customer_id: "${treated[1].externalId}" is already on line 2`);
    expect(message).not.toContain("Line 2,");
    expect((await actionsOf(campaignId)).map((r) => [r.id, r.outcome])).toEqual(before);
    await expect(manager().outcomes.importCsv({ campaignId, csv: "id,result\nx,retained" })).rejects.toThrow(
      /Line 1: the header needs the columns customer_id, outcome, date/,
    );
  });

  it("measures uplift against the hold-out from imported outcomes, overall, per action and per decile", async () => {
    const campaignId = await assignedCampaign("Measured");
    const rows = (await actionsOf(campaignId)).sort((a, b) => a.id - b.id);
    const treated = rows.filter((r) => !r.isHoldout);
    const held = rows.filter((r) => r.isHoldout);
    // Treated: 150 retained, 30 churned (83.3 %); hold-out: 12 retained, 8 churned (60 %).
    const lines = ["Customer ID,Outcome,Date"];
    for (const [i, r] of treated.entries())
      lines.push(`${r.externalId},${i < 150 ? "Retained" : "churned"},2026-02-01`);
    for (const [i, r] of held.entries())
      lines.push(`${r.externalId},${i < 12 ? "retained" : "churned"},2026-02-01`);
    const imported = await manager().outcomes.importCsv({
      campaignId,
      csv: `\ufeff${lines.join("\r\n")}\r\n`,
    });
    expect(imported).toMatchObject({ imported: 200, counts: { retained: 162, churned: 38 } });
    const results = await viewer().outcomes.results({ campaignId });
    if (!results.assignment) throw new Error("not assigned");
    const { overall } = results;
    expect(overall.treated).toBe(180);
    expect(overall.holdout).toBe(20);
    expect(overall.estimate.treatedRate).toBeCloseTo(150 / 180);
    expect(overall.estimate.holdoutRate).toBeCloseTo(0.6);
    expect(overall.estimate.uplift).toBeCloseTo(150 / 180 - 0.6);
    // Newcombe for 150/180 − 12/20, computed by hand from the two Wilson intervals:
    // Wilson 150/180 = [0.7724, 0.8799]; 12/20 = [0.3866, 0.7812];
    // lower = 0.2333 − sqrt(0.0609² + 0.1812²) = 0.0422; upper = 0.2333 + sqrt(0.0466² + 0.2134²) = 0.4518
    expect(overall.estimate.lower).toBeCloseTo(0.0422, 3);
    expect(overall.estimate.upper).toBeCloseTo(0.4518, 3);
    expect(overall.saved?.estimate).toBe(42);
    expect(overall.saved?.sentence).toMatch(
      /^the campaign saved an estimated 42 customers \(between 8 and 81\)$/,
    );
    expect(overall.cost).toBe(1800);
    expect(overall.roi).not.toBeNull();
    expect(results.byDecile.map((d) => d.key)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    expect(results.byDecile.reduce((s, d) => s + d.holdout, 0)).toBe(20);
    expect(results.byAction.reduce((s, d) => s + d.treated, 0)).toBe(180);
    for (const group of [...results.byAction, ...results.byDecile])
      expect(group.treatedOutcomes.retained + group.treatedOutcomes.churned).toBe(group.treated);
  });

  it("reads churned and retained from a later version of the dataset once the window has passed", async () => {
    // On the neighbour dataset: a new version of it would change what the other tests plan on.
    const campaignId = await assignedCampaign("Next upload", {
      datasetId: trained.neighbour.latest.datasetId,
      contactCount: 100,
    });
    const rows = (await actionsOf(campaignId)).sort((a, b) => a.id - b.id);
    const [churner, stayer] = rows.filter((r) => !r.isHoldout);
    const [first] = await handle.db
      .select({ label: customers.label })
      .from(customers)
      .where(eq(customers.id, churner.customerId));
    expect(first.label).not.toBe(1);
    const lines = telcoLikeCsv(200, 11 + 102)
      .trimEnd()
      .split("\n");
    const later = lines
      .map((line, i) =>
        i > 0 && line.startsWith(`${churner.externalId},`) ? line.replace(/,No\r?$/, ",Yes") : line,
      )
      .join("\n");
    await importDatasetFromFile(
      handle.db,
      { id: users.manager.id, label: users.manager.email },
      {
        bytes: new TextEncoder().encode(later),
        name: trained.neighbour.name,
        fileName: "neighbour-later.csv",
      },
    );
    // The import itself read the outcomes (too early for "retained": only the churner is known).
    const imported = new Map((await actionsOf(campaignId)).map((r) => [r.id, r]));
    expect(imported.get(churner.id)).toMatchObject({ outcome: "churned", outcomeSource: "dataset" });
    expect(imported.get(stayer.id)).toMatchObject({ outcome: "pending", outcomeSource: null });
    const [entry] = await handle.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, "campaign.outcomes_from_data"), eq(auditLog.targetId, String(campaignId))),
      );
    expect(entry).toMatchObject({ actorId: users.manager.id });
    expect(entry.details).toMatchObject({ churned: 1, retained: 0, automatic: true });
    // The button finds nothing more to read; idempotent.
    const early = await manager().outcomes.fromNewerData({ campaignId });
    expect(early).toMatchObject({ churned: 0, retained: 0, windowPassed: false });
    // Move the assignment back past its 90-day window: everyone still there is retained.
    await handle.db
      .update(retentionAssignments)
      .set({ createdAt: new Date(Date.now() - 120 * 86_400_000) })
      .where(eq(retentionAssignments.campaignId, campaignId));
    const late = await manager().outcomes.fromNewerData({ campaignId });
    expect(late).toMatchObject({ churned: 0, retained: rows.length - 1, windowPassed: true });
    const after = new Map((await actionsOf(campaignId)).map((r) => [r.id, r]));
    expect(after.get(churner.id)).toMatchObject({ outcome: "churned", outcomeSource: "dataset" });
    expect(after.get(stayer.id)).toMatchObject({ outcome: "retained", outcomeSource: "dataset" });
  });

  it("assigns a hand-picked selection of active customers as a campaign of its own", async () => {
    const picked = await handle.db
      .select({ id: customers.id, label: customers.label })
      .from(customers)
      .where(eq(customers.datasetVersionId, trained.datasetVersionId))
      .limit(60);
    const active = picked
      .filter((c) => c.label !== 1)
      .slice(0, 20)
      .map((c) => Number(c.id));
    const lost = picked.find((c) => c.label === 1);
    if (lost)
      await expect(
        manager().outcomes.assignSelection({
          datasetId: trained.datasetId,
          customerIds: [...active, Number(lost.id)],
          name: "Picked",
        }),
      ).rejects.toThrow(/has churned already/);
    await expect(
      viewer().outcomes.assignSelection({
        datasetId: trained.datasetId,
        customerIds: active,
        name: "Picked",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const result = await manager().outcomes.assignSelection({
      datasetId: trained.datasetId,
      customerIds: active,
      name: "Picked",
      seed: 5,
      holdoutShare: 0.1,
    });
    expect(result).toMatchObject({ treated: 18, holdout: 2, seed: 5 });
    const campaign = await viewer().campaigns.get({ campaignId: result.campaignId });
    expect(campaign.targetCount).toBe(20);
    expect(
      (await viewer().outcomes.actions({ campaignId: result.campaignId, filter: "holdout" })).total,
    ).toBe(2);
  });
});
