/**
 * POST /api/v1/events, called as Next.js calls it, against a real database holding a trained
 * champion: an event changes the customer's current features (never the upload row), is kept with
 * the risk before and after, rescores the customer and reaches the dataset's realtime channel; a
 * refused call names the event and the field and applies nothing.
 */
import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/server/db/client";
import { customerCurrentFeatures, customerEvents, customers, scores } from "@/server/db/schema";
import { channels, getInProcessHub, type RealtimeMessage } from "@/server/realtime";
import { createApiKey } from "@/server/services/api-keys";
import { useTemporaryDataDir } from "@/server/services/datasets/test-helpers";
import { loadPredictor } from "@/server/services/predictions";
import { requestLogFor } from "@/server/services/rest-api/request-log";
import { createTestDatabase, testDatabaseKinds } from "@/server/testing/database";
import { createUser } from "@/server/testing/factories";
import { createTrainedDataset, type TrainedDataset } from "@/server/testing/trained-dataset";

const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/db/client")>();
  return { ...original, getDb: async () => state.db };
});
const { POST } = await import("./route");

function post(body: unknown, key: string | null, raw?: string) {
  return POST(
    new Request("http://localhost/api/v1/events", {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: raw ?? JSON.stringify(body),
    }),
  );
}

const AT = "2026-03-01T09:30:00Z";

describe.each(testDatabaseKinds())("POST /api/v1/events on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  let eventsKey: string;
  let predictKey: string;
  let active: { id: number; externalId: string; features: Record<string, string | number | null> }[];
  let lost: { id: number; externalId: string };

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    state.db = handle.db;
    const { user } = await createUser(handle.db, "admin");
    const actor = { id: user.id, label: user.email };
    trained = await createTrainedDataset(handle.db, actor, { name: "Live events", rows: 300 });
    eventsKey = (await createApiKey(handle.db, actor, { name: "CRM events", scopes: ["events:write"] }))
      .secret;
    predictKey = (await createApiKey(handle.db, actor, { name: "Scorer", scopes: ["predict"] })).secret;
    const rows = await handle.db
      .select({
        id: customers.id,
        externalId: customers.externalId,
        features: customers.features,
        label: customers.label,
      })
      .from(customers)
      .where(eq(customers.datasetVersionId, trained.datasetVersionId))
      .orderBy(asc(customers.rowNumber));
    // Month-to-month customers: a move to a two-year contract must lower their risk.
    active = rows
      .filter((r) => r.label === 0 && r.features.Contract === "Month-to-month")
      .map((r) => ({ ...r, id: Number(r.id) }));
    const churned = rows.find((r) => r.label === 1);
    if (!churned || active.length < 6) throw new Error("sample rows lack the customers this test needs");
    lost = { id: Number(churned.id), externalId: churned.externalId };
  }, 240_000);
  afterAll(async () => {
    await requestLogFor(handle.db).flush();
    await handle?.close();
    dataDir?.cleanup();
  });

  const eventCount = async () => (await handle.db.select({ n: count() }).from(customerEvents))[0].n;
  const championScore = async (customerId: number) =>
    (
      await handle.db
        .select({ risk: scores.riskScore, level: scores.riskLevel })
        .from(scores)
        .where(and(eq(scores.customerId, customerId), eq(scores.modelId, trained.championId)))
    )[0];

  it("updates the current features, keeps the upload row, records before/after, rescores and pushes", async () => {
    const target = active[0];
    const before = await championScore(target.id);
    const received: RealtimeMessage[] = [];
    const unsubscribe = getInProcessHub().subscribe(channels.dataset(trained.datasetId), (m) =>
      received.push(m),
    );
    let response: Response;
    try {
      response = await post(
        {
          customer_id: target.externalId,
          dataset_id: trained.datasetId,
          type: "plan_change",
          at: AT,
          changes: { Contract: "Two year", PaymentMethod: "Credit card (automatic)" },
        },
        eventsKey,
      );
    } finally {
      unsubscribe();
    }
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.accepted).toBe(1);
    const [answered] = body.events;
    expect(answered).toMatchObject({ index: 0, customer_id: target.externalId, status: "active" });
    expect(answered.risk_before).toBeCloseTo(before.risk, 5);

    // The same number the predict API gives for the changed customer.
    const predictor = await loadPredictor(handle.db, trained.datasetId);
    const inputs = Object.fromEntries(predictor.inputs.map((i) => [i.name, target.features[i.name] ?? null]));
    const [expected] = predictor.predict(
      [{ ...inputs, Contract: "Two year", PaymentMethod: "Credit card (automatic)" }],
      {
        strict: false,
      },
    );
    expect(answered.risk_after).toBeCloseTo(expected.riskScore, 5);
    expect(answered.risk_after).toBeLessThan(answered.risk_before);

    const after = await championScore(target.id);
    expect(after.risk).toBeCloseTo(expected.riskScore, 5);
    expect(after.level).toBe(expected.riskLevel);

    const [upload] = await handle.db.select().from(customers).where(eq(customers.id, target.id));
    expect(upload.features.Contract).toBe("Month-to-month");
    const [current] = await handle.db
      .select()
      .from(customerCurrentFeatures)
      .where(eq(customerCurrentFeatures.customerId, target.id));
    expect(current.features).toMatchObject({
      Contract: "Two year",
      PaymentMethod: "Credit card (automatic)",
    });
    expect(current.features.tenure).toEqual(target.features.tenure);

    const [stored] = await handle.db
      .select()
      .from(customerEvents)
      .where(eq(customerEvents.id, answered.event_id));
    expect(stored).toMatchObject({
      customerId: target.id,
      datasetId: trained.datasetId,
      type: "plan_change",
      source: "api",
      changes: { Contract: "Two year", PaymentMethod: "Credit card (automatic)" },
      previous: { Contract: "Month-to-month", PaymentMethod: target.features.PaymentMethod },
      modelId: trained.championId,
    });
    expect(stored.occurredAt.toISOString()).toBe("2026-03-01T09:30:00.000Z");

    expect(received).toHaveLength(1);
    expect(received[0].event).toBe("customer-events");
    expect(received[0].data).toMatchObject({
      datasetId: trained.datasetId,
      events: 1,
      customers: [{ id: target.id, externalId: target.externalId, eventId: answered.event_id }],
    });
  });

  it("applies a batch in order: a later event of the same customer starts from the earlier one", async () => {
    const [a, b] = [active[1], active[2]];
    const response = await post(
      {
        events: [
          {
            customer_id: a.externalId,
            dataset_id: trained.datasetId,
            type: "plan_change",
            at: AT,
            changes: { Contract: "One year" },
          },
          {
            customer_id: b.externalId,
            dataset_id: trained.datasetId,
            type: "usage_drop",
            at: AT,
            changes: { StreamingTV: "No" },
          },
          {
            customer_id: a.externalId,
            dataset_id: trained.datasetId,
            type: "plan_change",
            at: AT,
            changes: { Contract: "Two year" },
          },
        ],
      },
      eventsKey,
    );
    expect(response.status).toBe(200);
    const { events } = await response.json();
    expect(events.map((e: { index: number }) => e.index)).toEqual([0, 1, 2]);
    expect(events[2].risk_before).toBeCloseTo(events[0].risk_after, 6);
    const [current] = await handle.db
      .select()
      .from(customerCurrentFeatures)
      .where(eq(customerCurrentFeatures.customerId, a.id));
    expect(current.features.Contract).toBe("Two year");
    expect((await championScore(a.id)).risk).toBeCloseTo(events[2].risk_after, 5);
    const timeline = await handle.db
      .select()
      .from(customerEvents)
      .where(eq(customerEvents.customerId, a.id))
      .orderBy(asc(customerEvents.id));
    expect(timeline.map((e) => e.previous.Contract)).toEqual(["Month-to-month", "One year"]);
  });

  it("keeps a lost customer lost", async () => {
    const response = await post(
      {
        customer_id: lost.externalId,
        dataset_id: trained.datasetId,
        type: "support_ticket",
        at: AT,
        changes: { TechSupport: "Yes" },
      },
      eventsKey,
    );
    expect(response.status).toBe(200);
    expect((await response.json()).events[0].status).toBe("lost");
    const [row] = await handle.db.select().from(customers).where(eq(customers.id, lost.id));
    expect(row.label).toBe(1);
  });

  it("refuses bad events naming the event and the field, applying nothing of the call", async () => {
    const good = {
      customer_id: active[3].externalId,
      dataset_id: trained.datasetId,
      type: "plan_change",
      at: AT,
      changes: { Contract: "One year" },
    };
    const before = await eventCount();
    const scoreBefore = await championScore(active[3].id);
    const cases: [unknown, number, string, RegExp, string?, number?][] = [
      [
        { events: [good, { ...good, customer_id: "NOPE-404" }] },
        400,
        "unknown_customer",
        /NOPE-404/,
        "events[1].customer_id",
        1,
      ],
      [
        { events: [good, { ...good, changes: { Contrakt: "One year" } }] },
        400,
        "unknown_column",
        /Contrakt/,
        "events[1].changes.Contrakt",
        1,
      ],
      [
        { events: [good, good, { ...good, changes: { Contract: "Ten year" } }] },
        400,
        "unknown_category",
        /Ten year.*Month-to-month/,
        "events[2].changes.Contract",
        2,
      ],
      [{ ...good, changes: { tenure: "a while" } }, 400, "wrong_type", /tenure.*number/, "changes.tenure"],
      [{ ...good, changes: { Churn: "Yes" } }, 400, "read_only_column", /target/, "changes.Churn"],
      [
        { ...good, changes: { customerID: "X" } },
        400,
        "read_only_column",
        /identifier/,
        "changes.customerID",
      ],
      [{ ...good, changes: {} }, 400, "invalid_body", /at least one column/, "changes"],
      [{ ...good, at: "yesterday" }, 400, "invalid_body", /ISO-8601/, "at"],
      [{ ...good, at: "2099-01-01T00:00:00Z" }, 400, "invalid_body", /future/, "at"],
      [{ ...good, colour: "red" }, 400, "invalid_body", /colour/, "colour"],
      [
        { events: Array.from({ length: 1001 }, () => good) },
        400,
        "too_many_events",
        /at most 1,000/,
        "events",
      ],
      [{ ...good, dataset_id: 987654 }, 404, "dataset_not_found", /987654/, "dataset_id"],
    ];
    for (const [body, status, code, message, field, index] of cases) {
      const response = await post(body, eventsKey);
      const { error } = await response.json();
      expect({ status: response.status, code: error.code }, JSON.stringify(error)).toEqual({ status, code });
      expect(error.message).toMatch(message);
      if (field) expect(error.field).toBe(field);
      expect(error.index).toBe(index);
    }
    expect(await eventCount()).toBe(before);
    expect((await championScore(active[3].id)).risk).toBe(scoreBefore.risk);
    const [current] = await handle.db
      .select()
      .from(customerCurrentFeatures)
      .where(eq(customerCurrentFeatures.customerId, active[3].id));
    expect(current).toBeUndefined();
  });

  it("needs an events:write key", async () => {
    const body = {
      customer_id: active[4].externalId,
      dataset_id: trained.datasetId,
      type: "x",
      at: AT,
      changes: { tenure: 3 },
    };
    expect((await post(body, null)).status).toBe(401);
    const forbidden = await post(body, predictKey);
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.code).toBe("insufficient_scope");
    const broken = await post(null, eventsKey, "{not json");
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe("invalid_json");
  });
});
