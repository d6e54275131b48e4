/**
 * Events closing the loop, against a real database with a trained dataset: a retrain or a
 * promotion rescoring everyone keeps the risk events moved (training still reads the upload
 * rows); churn events, and events past a campaign's window, record the outcomes of retention
 * actions, audited and only once; the demo generator's cron records no job while it is off.
 */
import { and, asc, count, desc, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoEvents } from "@/jobs/functions/demo-events";
import { recordOfRow } from "@/lib/column-record";
import type { DatabaseHandle } from "../../db/client";
import {
  auditLog,
  customerCurrentFeatures,
  customers,
  jobs,
  models,
  retentionActions,
  retentionAssignments,
  scores,
} from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";
import { SYSTEM_ACTOR } from "../audit";
import { computeCampaignPlan } from "../campaigns/plan";
import { loadDatasetVersionRows } from "../datasets";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { loadModel } from "../models/artifacts";
import { loadScoringRows } from "../scoring";
import { scoreModelCustomers } from "../scoring/score-model";
import { setSetting } from "../settings";
import { startTraining } from "../training";
import { clearTrainingDataCache, loadVersionData } from "../training/run-data";
import { runUntilFinished, testRunner } from "../training/test-helpers";
import type { PublicUser } from "../users";
import { applyEvents, clearEventContextCache, DEMO_EVENTS_SETTING } from ".";

describe.each(testDatabaseKinds())("events closing the loop on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  let manager: PublicUser;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    manager = (await createUser(handle.db, "manager")).user;
    trained = await createTrainedDataset(
      handle.db,
      { id: manager.id, label: manager.email },
      { name: "Loop", rows: 300, algorithms: ["logistic_regression"] },
    );
  }, 240_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  const activeCustomers = () =>
    handle.db
      .select({ id: customers.id, externalId: customers.externalId, features: customers.features })
      .from(customers)
      .where(and(eq(customers.datasetVersionId, trained.datasetVersionId), eq(customers.label, 0)))
      .orderBy(asc(customers.rowNumber));
  const championOf = async () => {
    const [row] = await handle.db
      .select({ id: models.id })
      .from(models)
      .where(and(eq(models.datasetId, trained.datasetId), eq(models.status, "champion")));
    return row.id;
  };
  const scoreOf = async (customerId: number, modelId: number) => {
    const [row] = await handle.db
      .select({ risk: scores.riskScore })
      .from(scores)
      .where(and(eq(scores.customerId, customerId), eq(scores.modelId, modelId)));
    return row?.risk;
  };
  const send = (
    externalId: string,
    type: string,
    changes: Record<string, string | number>,
    at = new Date(),
  ) =>
    applyEvents(handle.db, [{ customerId: externalId, datasetId: trained.datasetId, type, at, changes }], {
      source: "api",
      silent: true,
    });

  it("keeps event-moved risk through a promotion's and a retrain's rescoring; training reads the upload", async () => {
    clearEventContextCache(handle.db);
    // A loyal internet customer (two-year contract, card, security and support) drops all of it.
    const customer = (await activeCustomers()).find(
      (c) =>
        c.features.Contract === "Two year" &&
        c.features.InternetService !== "No" &&
        c.features.PaymentMethod !== "Electronic check",
    ) as { id: number; externalId: string; features: Record<string, string | number | null> };
    const [applied] = await send(customer.externalId, "plan_change", {
      Contract: "Month-to-month",
      PaymentMethod: "Electronic check",
      OnlineSecurity: "No",
      TechSupport: "No",
    });
    expect(applied.riskAfter - (applied.riskBefore ?? 1)).toBeGreaterThan(0.02);
    const champion = await championOf();
    expect(await scoreOf(customer.id, champion)).toBeCloseTo(applied.riskAfter, 5);

    // A promotion (or rollback) rescores every customer with the model: the event stays.
    await scoreModelCustomers(handle.db, champion);
    expect(await scoreOf(customer.id, champion)).toBeCloseTo(applied.riskAfter, 5);

    // A retrain on the same version: its champion scores the customer as it is now.
    const run = await startTraining(
      handle.db,
      { id: manager.id, label: manager.email },
      { datasetVersionId: trained.datasetVersionId, algorithms: ["logistic_regression"], folds: 3 },
    );
    clearTrainingDataCache();
    const finished = await runUntilFinished(testRunner(handle.db), handle.db, run.id);
    expect(finished.status).toBe("succeeded");
    const retrained = await championOf();
    expect(retrained).not.toBe(champion);
    const scoring = await loadScoringRows(handle.db, trained.datasetVersionId);
    const row = scoring.customerIds.indexOf(customer.id);
    expect(scoring.rows[row][scoring.columns.indexOf("Contract")]).toBe("Month-to-month");
    const model = await loadModel(handle.db, retrained);
    const [now, uploaded] = model.explain([
      recordOfRow(scoring.columns, scoring.rows[row]),
      recordOfRow(
        scoring.columns,
        scoring.columns.map((c) => String(customer.features[c] ?? "")),
      ),
    ]);
    expect(now.riskScore - uploaded.riskScore).toBeGreaterThan(0.02);
    expect(await scoreOf(customer.id, retrained)).toBeCloseTo(now.riskScore, 5);

    // What the run trained on is the file as uploaded, untouched by the event.
    clearTrainingDataCache();
    const training = (await loadVersionData(handle.db, trained.datasetVersionId)).table;
    const trainingRow = training.rows[training.customerIds.indexOf(customer.id)];
    expect(trainingRow[training.columns.indexOf("Contract")]).toBe("Two year");
    expect(trainingRow[training.columns.indexOf("PaymentMethod")]).toBe(customer.features.PaymentMethod);
    const [stored] = await handle.db.select().from(customers).where(eq(customers.id, customer.id));
    expect(stored.features).toEqual(customer.features);
    const upload = await loadDatasetVersionRows(handle.db, trained.datasetVersionId);
    expect(upload.rows[upload.customerIds.indexOf(customer.id)]).toEqual(trainingRow);
  }, 240_000);

  it("filters, segments and campaign groupings read the value an event left, not the upload", async () => {
    const viewer = callerFor(handle.db, (await createUser(handle.db, "viewer")).user);
    const touched = new Set(
      (await handle.db.select({ id: customerCurrentFeatures.customerId }).from(customerCurrentFeatures)).map(
        (r) => Number(r.id),
      ),
    );
    const customer = (await activeCustomers()).find(
      (c) => c.features.Contract === "Month-to-month" && !touched.has(Number(c.id)),
    ) as { id: number; externalId: string };
    const listed = async (contract: string) =>
      (
        await viewer.customers.list({
          datasetId: trained.datasetId,
          filters: [{ column: "Contract", value: contract }],
          search: customer.externalId,
        })
      ).rows.map((r) => r.id);
    const segmentSize = async (contract: string) =>
      (await viewer.analytics.segments({ datasetId: trained.datasetId, columns: ["Contract"] })).rows.find(
        (r) => r.key[0].label === contract,
      )?.customers ?? 0;
    const planned = async (contract: string) =>
      Array.from(
        (
          await computeCampaignPlan(handle.db, {
            datasetId: trained.datasetId,
            offerCost: 10,
            acceptanceRate: 0.3,
            value: { source: "monthly", months: 12 },
            filters: [{ column: "Contract", value: contract }],
          })
        ).customerIds,
      );
    expect(await listed("Month-to-month")).toEqual([customer.id]);
    expect(await listed("Two year")).toEqual([]);
    const before = { m2m: await segmentSize("Month-to-month"), two: await segmentSize("Two year") };
    expect(await planned("Month-to-month")).toContain(customer.id);

    await send(customer.externalId, "plan_change", { Contract: "Two year" });
    expect(await listed("Two year")).toEqual([customer.id]);
    expect(await listed("Month-to-month")).toEqual([]);
    expect(await segmentSize("Two year")).toBe(before.two + 1);
    expect(await segmentSize("Month-to-month")).toBe(before.m2m - 1);
    expect(await planned("Two year")).toContain(customer.id);
    expect(await planned("Month-to-month")).not.toContain(customer.id);
  });

  it("records churned from a churn event and retained from an event past the window, once, audited", async () => {
    clearEventContextCache(handle.db);
    const caller = callerFor(handle.db, manager);
    const touched = new Set(
      (await handle.db.select({ id: customerCurrentFeatures.customerId }).from(customerCurrentFeatures)).map(
        (r) => Number(r.id),
      ),
    );
    const picked = (await activeCustomers()).filter((c) => !touched.has(Number(c.id))).slice(-40);
    const assigned = await caller.outcomes.assignSelection({
      datasetId: trained.datasetId,
      customerIds: picked.map((c) => Number(c.id)),
      name: "Events close the loop",
      seed: 7,
      holdoutShare: 0.1,
    });
    const actions = await handle.db
      .select()
      .from(retentionActions)
      .where(eq(retentionActions.campaignId, assigned.campaignId))
      .orderBy(asc(retentionActions.id));
    const treated = actions.filter((a) => !a.isHoldout);
    const held = actions.find((a) => a.isHoldout) as (typeof actions)[number];
    const [leaver, stayer, manual] = treated;
    const outcomeOf = async (id: number) =>
      (await handle.db.select().from(retentionActions).where(eq(retentionActions.id, id)))[0];
    const auditsOf = () =>
      handle.db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.action, "campaign.outcomes_from_events"),
            eq(auditLog.targetId, String(assigned.campaignId)),
          ),
        )
        .orderBy(desc(auditLog.id));

    // An ordinary event inside the window is no outcome.
    await send(leaver.externalId, "plan_change", { PaperlessBilling: "Yes" });
    expect(await outcomeOf(leaver.id)).toMatchObject({ outcome: "pending", outcomeSource: null });
    expect(await auditsOf()).toHaveLength(0);

    // Leaving events: a treated customer and a held-out one (whose outcome counts just the same).
    const leftAt = new Date(Date.now() - 3_600_000);
    await applyEvents(
      handle.db,
      [
        {
          customerId: leaver.externalId,
          datasetId: trained.datasetId,
          type: "Subscription-Cancelled",
          at: leftAt,
          changes: { PaperlessBilling: "No" },
        },
        {
          customerId: held.externalId,
          datasetId: trained.datasetId,
          type: "churn",
          at: leftAt,
          changes: { PaperlessBilling: "No" },
        },
      ],
      { source: "api", silent: true, actor: { id: null, label: 'api key "crm"' } },
    );
    for (const id of [leaver.id, held.id])
      expect(await outcomeOf(id)).toMatchObject({
        outcome: "churned",
        outcomeSource: "event",
        outcomeAt: leftAt,
      });
    const [entry] = await auditsOf();
    expect(entry).toMatchObject({ actorLabel: 'api key "crm"', targetType: "campaign" });
    expect(entry.details).toMatchObject({
      churned: 2,
      retained: 0,
      source: "api",
      name: "Events close the loop",
    });

    // Idempotent: the same event again changes nothing and logs nothing; a hand-recorded outcome stays.
    await caller.outcomes.record({ actionId: manual.id, outcome: "retained" });
    await send(leaver.externalId, "churn", { PaperlessBilling: "Yes" });
    await send(manual.externalId, "cancellation", { PaperlessBilling: "Yes" });
    expect(await outcomeOf(leaver.id)).toMatchObject({ outcome: "churned", outcomeAt: leftAt });
    expect(await outcomeOf(manual.id)).toMatchObject({ outcome: "retained", outcomeSource: "manual" });
    expect(await auditsOf()).toHaveLength(1);

    // Past the campaign window, any event shows the customer is still there: retained.
    await handle.db
      .update(retentionAssignments)
      .set({ createdAt: new Date(Date.now() - 120 * 86_400_000) })
      .where(eq(retentionAssignments.campaignId, assigned.campaignId));
    await send(stayer.externalId, "support_ticket", { TechSupport: "Yes" });
    expect(await outcomeOf(stayer.id)).toMatchObject({ outcome: "retained", outcomeSource: "event" });
    expect((await auditsOf())[0].details).toMatchObject({ churned: 0, retained: 1 });
  }, 120_000);

  it("records no demo tick while the generator is off, and one a minute while it is on", async () => {
    let clock = new Date("2030-01-01T10:00:30Z");
    const runner = testRunner(handle.db, { functions: [demoEvents], now: () => clock });
    const demoJobs = async () =>
      (await handle.db.select({ n: count() }).from(jobs).where(like(jobs.id, "cron:demo-events:2030-%")))[0]
        .n;
    await setSetting(handle.db, SYSTEM_ACTOR, DEMO_EVENTS_SETTING, {
      enabled: false,
      eventsPerMinute: 60,
      durationMinutes: 15,
      stopsAt: null,
    });
    for (let minute = 1; minute <= 3; minute++) {
      clock = new Date(clock.getTime() + 60_000);
      expect(await runner.enqueueDueCronJobs()).toEqual([]);
    }
    expect(await demoJobs()).toBe(0);

    await setSetting(handle.db, SYSTEM_ACTOR, DEMO_EVENTS_SETTING, {
      enabled: true,
      eventsPerMinute: 60,
      durationMinutes: 15,
      stopsAt: new Date(clock.getTime() + 15 * 60_000).toISOString(),
    });
    clock = new Date(clock.getTime() + 60_000);
    expect(await runner.enqueueDueCronJobs()).toEqual(["cron:demo-events:2030-01-01T10:04:00.000Z"]);
    expect(await demoJobs()).toBe(1);
    // Left as found: off, and no queued tick for other tests' runners to pick up.
    await handle.db.delete(jobs).where(like(jobs.id, "cron:demo-events:2030-%"));
    await setSetting(handle.db, SYSTEM_ACTOR, DEMO_EVENTS_SETTING, {
      enabled: false,
      eventsPerMinute: 60,
      durationMinutes: 15,
      stopsAt: null,
    });
  });
});
