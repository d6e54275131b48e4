/**
 * The events feature through tRPC callers and the demo generator's tick, against a real database
 * with the sample dataset trained: viewers read a customer's timeline (risk before and after each
 * event), only admins configure the generator, and the generator sends realistic events through
 * the API's code path at its bounded rate and turns itself off when its time is up.
 */
import { TRPCError } from "@trpc/server";
import { and, asc, desc, eq, gt } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRng } from "@/lib/ml/random";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, customerEvents, customers, jobs, scores } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { SAMPLE_DATASET_NAME } from "../demo-seed";
import { loadPredictor } from "../predictions";
import type { PublicUser } from "../users";
import { applyEvents, DEMO_EVENTS_TICK_EVENT, generateDemoEvents, runDemoTick } from ".";

describe.each(testDatabaseKinds())("customer events on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  let admin: PublicUser;
  let manager: PublicUser;
  let viewer: PublicUser;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    admin = (await createUser(handle.db, "admin")).user;
    manager = (await createUser(handle.db, "manager")).user;
    viewer = (await createUser(handle.db, "viewer")).user;
    trained = await createTrainedDataset(
      handle.db,
      { id: admin.id, label: admin.email },
      { name: SAMPLE_DATASET_NAME, rows: 300 },
    );
  }, 240_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  const customersOf = () =>
    handle.db
      .select({
        id: customers.id,
        externalId: customers.externalId,
        features: customers.features,
        label: customers.label,
      })
      .from(customers)
      .where(eq(customers.datasetVersionId, trained.datasetVersionId))
      .orderBy(asc(customers.rowNumber));

  it("shows viewers a customer's timeline, newest first, with the risk before and after", async () => {
    // The last such customer: the demo tests (any order) pick theirs at random, so count from now.
    const target = (await customersOf())
      .filter((c) => c.label === 0 && c.features.TechSupport === "No")
      .at(-1);
    if (!target) throw new Error("no customer without tech support");
    const earlier = (await callerFor(handle.db, viewer).events.timeline({ customerId: Number(target.id) }))
      .total;
    await applyEvents(
      handle.db,
      [
        {
          customerId: target.externalId,
          datasetId: trained.datasetId,
          type: "support_ticket",
          at: new Date("2026-02-01T10:00:00Z"),
          changes: { TechSupport: "Yes" },
        },
        {
          customerId: target.externalId,
          datasetId: trained.datasetId,
          type: "renewal",
          at: new Date("2026-02-02T10:00:00Z"),
          changes: { tenure: Number(target.features.tenure) + 1 },
        },
      ],
      { source: "api" },
    );
    const timeline = await callerFor(handle.db, viewer).events.timeline({ customerId: Number(target.id) });
    expect(timeline.total).toBe(earlier + 2);
    const [latest, first] = timeline.events;
    expect(latest.type).toBe("renewal");
    expect(first).toMatchObject({
      type: "support_ticket",
      source: "api",
      changes: [{ column: "TechSupport", from: "No", to: "Yes" }],
    });
    expect(latest.changes).toEqual([
      { column: "tenure", from: target.features.tenure, to: Number(target.features.tenure) + 1 },
    ]);
    expect(latest.riskBefore).toBeCloseTo(first.riskAfter as number, 6);
    const [stored] = await handle.db
      .select()
      .from(scores)
      .where(and(eq(scores.customerId, target.id), eq(scores.modelId, trained.championId)));
    expect(stored.riskScore).toBeCloseTo(latest.riskAfter as number, 5);
    expect(latest.modelVersion).toBeGreaterThan(0);
    // Another customer has no events.
    const touched = new Set(
      (await handle.db.select({ id: customerEvents.customerId }).from(customerEvents)).map((e) =>
        Number(e.id),
      ),
    );
    const untouched = (await customersOf()).find((c) => !touched.has(Number(c.id))) as { id: number };
    expect(
      (await callerFor(handle.db, viewer).events.timeline({ customerId: Number(untouched.id) })).events,
    ).toEqual([]);
  });

  it("lets only admins configure the generator; turning it on starts a tick at once", async () => {
    const settingsOf = { enabled: true, eventsPerMinute: 120, durationMinutes: 10 };
    for (const user of [viewer, manager]) {
      await expect(callerFor(handle.db, user).events.configureDemo(settingsOf)).rejects.toSatisfy(
        (e: unknown) => e instanceof TRPCError && e.code === "FORBIDDEN",
      );
      await expect(callerFor(handle.db, user).events.demoStatus()).rejects.toBeInstanceOf(TRPCError);
    }
    const caller = callerFor(handle.db, admin);
    await caller.events.configureDemo({ ...settingsOf, enabled: false });
    const off = await caller.events.demoStatus();
    expect(off).toMatchObject({
      enabled: false,
      running: false,
      problem: null,
      dataset: { id: trained.datasetId },
    });

    await expect(caller.events.configureDemo({ ...settingsOf, eventsPerMinute: 100_000 })).rejects.toThrow(
      /At most 600 events per minute/,
    );
    const started = Date.now();
    const on = await caller.events.configureDemo(settingsOf);
    expect(on).toMatchObject({ enabled: true, running: true, eventsPerMinute: 120, durationMinutes: 10 });
    const stopsAt = new Date(on.stopsAt as string).getTime();
    expect(stopsAt - started).toBeGreaterThanOrEqual(10 * 60_000 - 1_000);
    expect(stopsAt - started).toBeLessThanOrEqual(10 * 60_000 + 5_000);
    const [job] = await handle.db
      .select()
      .from(jobs)
      .where(eq(jobs.functionId, "demo-events"))
      .orderBy(desc(jobs.createdAt))
      .limit(1);
    expect(job?.event.name).toBe(DEMO_EVENTS_TICK_EVENT);
    const [entry] = await handle.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ action: "settings.update", targetId: "demo_events", actorId: admin.id });

    const offAgain = await caller.events.configureDemo({ ...settingsOf, enabled: false });
    expect(offAgain).toMatchObject({ enabled: false, running: false, stopsAt: null });
  });

  it("sends a minute of realistic events at the configured rate through the API's path", async () => {
    const caller = callerFor(handle.db, admin);
    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await caller.events.configureDemo({ enabled: true, eventsPerMinute: 60, durationMinutes: 5 });
    let clock = slot.getTime();
    const before = await handle.db.select({ id: customerEvents.id }).from(customerEvents);
    const lastBefore = Math.max(0, ...before.map((e) => Number(e.id)));
    const result = await runDemoTick(handle.db, {
      scheduledFor: slot,
      now: () => clock,
      sleep: async (ms) => {
        clock += Math.max(ms, 1);
      },
      seed: 7,
    });
    expect(result.outcome).toBe("ran");
    // 60 a minute for the 58 s until the next tick: never more than the rate allows.
    expect(result.emitted).toBeGreaterThanOrEqual(50);
    expect(result.emitted).toBeLessThanOrEqual(58);
    const sent = await handle.db
      .select()
      .from(customerEvents)
      .where(and(eq(customerEvents.source, "demo"), gt(customerEvents.id, lastBefore)))
      .orderBy(asc(customerEvents.id));
    expect(sent).toHaveLength(result.emitted);
    expect(before.length + result.emitted).toBe(
      (await handle.db.select({ id: customerEvents.id }).from(customerEvents)).length,
    );
    expect(new Set(sent.map((e) => e.type)).size).toBeGreaterThanOrEqual(4);
    for (const event of sent) {
      expect(event.riskAfter).not.toBeNull();
      expect(event.riskBefore).not.toBeNull();
      expect(event.modelId).toBe(trained.championId);
    }
    // Only active customers get demo events.
    const lostIds = new Set((await customersOf()).filter((c) => c.label === 1).map((c) => Number(c.id)));
    expect(sent.filter((e) => lostIds.has(e.customerId))).toEqual([]);
  });

  it("turns itself off when its time is up", async () => {
    const caller = callerFor(handle.db, admin);
    const on = await caller.events.configureDemo({ enabled: true, eventsPerMinute: 600, durationMinutes: 1 });
    const stopsAt = new Date(on.stopsAt as string).getTime();
    let clock = stopsAt - 5_000;
    const tick = (scheduledFor: Date) =>
      runDemoTick(handle.db, {
        scheduledFor,
        now: () => clock,
        sleep: async (ms) => {
          clock += Math.max(ms, 1);
        },
        seed: 8,
      });
    // The tick of stopsAt's minute stops it, or (stopsAt in the last seconds of a minute) the next.
    let result = await tick(new Date(clock));
    let emitted = result.emitted;
    if (result.outcome === "ran") {
      clock = Math.ceil(clock / 60_000) * 60_000;
      result = await tick(new Date(clock));
      emitted += result.emitted;
    }
    expect(result.outcome).toBe("stopped");
    const lostIds = new Set((await customersOf()).filter((c) => c.label === 1).map((c) => Number(c.id)));
    const sentToLost = (
      await handle.db.select().from(customerEvents).where(eq(customerEvents.source, "demo"))
    ).filter((e) => lostIds.has(e.customerId));
    expect(sentToLost).toEqual([]);
    // 600 a minute for the last 5 s: at most 50 events (bursts never exceed 60).
    expect(emitted).toBeLessThanOrEqual(60);
    const status = await caller.events.demoStatus();
    expect(status).toMatchObject({ enabled: false, running: false, stopsAt: null });
    const [entry] = await handle.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ action: "settings.update", targetId: "demo_events", actorId: null });
    // A tick while off sends nothing.
    expect(await runDemoTick(handle.db, { scheduledFor: new Date() })).toEqual({
      emitted: 0,
      outcome: "off",
    });
  });

  it("generates only values the champion accepts", async () => {
    const predictor = await loadPredictor(handle.db, trained.datasetId);
    const pool = (await customersOf())
      .slice(0, 50)
      .map((c) => ({ externalId: c.externalId, features: { ...c.features } }));
    const events = generateDemoEvents(pool, predictor, trained.datasetId, 200, createRng(3));
    expect(events).toHaveLength(200);
    const records = events.map((e) => {
      const features = pool.find((p) => p.externalId === e.customerId)?.features ?? {};
      return Object.fromEntries(
        predictor.inputs.map((i) => [i.name, { ...features, ...e.changes }[i.name] ?? null]),
      );
    });
    expect(() => predictor.predict(records, { strict: true })).not.toThrow();
  });
});
