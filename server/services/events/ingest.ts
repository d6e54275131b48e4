/**
 * Live customer events: each event changes some of a customer's current features, is kept in
 * `customer_events` with the champion's risk before and after it, and leaves the customer
 * rescored. One call (up to MAX_EVENTS events) is one transaction and one batched prediction, so
 * either every event of the call is applied or none is. The upload row (`customers.features`)
 * is never written: the current features live in `customer_current_features`.
 *
 * Validation is the predict API's (same Predictor, strict): an unknown customer, column or
 * category is refused naming the event's index and the field. The target cannot be changed by an
 * event, so a lost (churned) customer stays lost whatever arrives for them.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { columnRecord, fieldOf, hasField } from "@/lib/column-record";
import { type DatasetSchema, parseDatasetSchema } from "@/lib/ml/data";
import { quoteValue, truncateText } from "@/lib/quote-value";
import type { Database } from "../../db/client";
import { customerCurrentFeatures, customerEvents, customers, datasetVersions, scores } from "../../db/schema";
import { perDatabase } from "../../process-wide";
import { channels, getPublisher } from "../../realtime";
import type { Actor } from "../audit";
import { resolveCustomerScope } from "../customers/scope";
import { recordOutcomesFromEvents } from "../outcomes/from-events";
import { loadPredictor, NoChampionError, PredictionInputError, type Predictor } from "../predictions";
import type { RiskDriver } from "../scoring/drivers";
import { bumpScoresGeneration } from "../scoring/generation";
import type { RiskLevel } from "../scoring/risk";

export const MAX_EVENTS = 1_000;
/** How far ahead of the server's clock `at` may be (clock skew), before it is refused. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
export const EVENT_TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;
/** The realtime event name on the dataset channel (channels.dataset). */
export const CUSTOMER_EVENTS_MESSAGE = "customer-events";

export type FeatureValue = string | number | null;

export interface EventInput {
  customerId: string;
  datasetId: number;
  type: string;
  at: Date;
  changes: Record<string, FeatureValue>;
}

export type EventErrorCode =
  | "invalid_body"
  | "too_many_events"
  | "dataset_not_found"
  | "no_champion"
  | "unknown_customer"
  | "unknown_column"
  | "read_only_column"
  | "unknown_field"
  | "wrong_type"
  | "unknown_category"
  | "invalid_record";

/** A refused call: nothing of it was applied. `index` is the event's position in the call. */
export class EventInputError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly code: EventErrorCode,
    message: string,
    readonly details: { field?: string; index?: number } = {},
  ) {
    super(message);
    this.name = "EventInputError";
  }
}

// ─── Shape ──────────────────────────────────────────────────────────────────────────────────────

const valueSchema = z.union([z.string().max(1_000), z.number().finite(), z.null()], {
  error: "must be a string, a number or null",
});

const eventSchema = z.strictObject({
  customer_id: z.union([z.string().trim().min(1).max(200), z.number().int().nonnegative()], {
    error: "must be the customer's id as a string (the identifier column of the dataset)",
  }),
  dataset_id: z.number({ error: "must be a dataset id (a positive integer)" }).int().positive(),
  type: z
    .string({ error: "must be a short name such as plan_change" })
    .regex(EVENT_TYPE_PATTERN, "must start with a letter and hold at most 64 letters, digits or _ . : -"),
  at: z.iso.datetime({
    offset: true,
    error: "must be an ISO-8601 date and time, such as 2026-03-01T12:00:00Z",
  }),
  changes: z.record(z.string(), valueSchema),
});

function shapeError(error: z.ZodError, prefix: string, index?: number): EventInputError {
  const issue = error.issues[0];
  const path = issue.path.map(String);
  let field = truncateText([prefix, ...path].filter(Boolean).join("."));
  let message: string;
  if (issue.code === "unrecognized_keys") {
    field = truncateText([field, issue.keys[0]].filter(Boolean).join("."));
    message = `Unknown field ${quoteValue(field)}: an event has customer_id, dataset_id, type, at and changes`;
  } else if (issue.code === "invalid_type" && issue.input === undefined) {
    message = `${field} is required`;
  } else message = `${field} ${issue.message}`;
  return new EventInputError(400, "invalid_body", message, {
    field,
    ...(index === undefined ? {} : { index }),
  });
}

/**
 * The events of a body: `{ "events": [ … ] }` (1 to 1,000) or one event object. Column names are
 * read from the JSON objects themselves (zod's records drop a "__proto__" key; names are data).
 */
export function parseEventsBody(body: unknown, now = Date.now()): EventInput[] {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new EventInputError(
      400,
      "invalid_body",
      "The body must be a JSON object: one event, or { events: [ … ] } with up to 1,000 events",
    );
  }
  let raw: unknown[];
  let batch = false;
  if (Object.hasOwn(body, "events")) {
    const extra = Object.keys(body).find((k) => k !== "events");
    if (extra !== undefined)
      throw new EventInputError(
        400,
        "invalid_body",
        `Unknown field ${quoteValue(truncateText(extra))}: a batch body has only events`,
        { field: truncateText(extra) },
      );
    const events = (body as { events: unknown }).events;
    if (!Array.isArray(events) || events.length === 0)
      throw new EventInputError(400, "invalid_body", "events must be a list of 1 to 1,000 events", {
        field: "events",
      });
    if (events.length > MAX_EVENTS)
      throw new EventInputError(
        400,
        "too_many_events",
        `events holds ${events.length.toLocaleString("en")} events; send at most ${MAX_EVENTS.toLocaleString("en")} per call`,
        { field: "events" },
      );
    raw = events;
    batch = true;
  } else raw = [body];

  return raw.map((item, index) => {
    const prefix = batch ? `events[${index}]` : "";
    const at = batch ? { index } : {};
    const parsed = eventSchema.safeParse(item);
    if (!parsed.success) throw shapeError(parsed.error, prefix, batch ? index : undefined);
    const original = (item as { changes: Record<string, unknown> }).changes;
    const changes = columnRecord<FeatureValue>();
    for (const name of Object.keys(original)) changes[name] = original[name] as FeatureValue;
    const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
    if (Object.keys(changes).length === 0)
      throw new EventInputError(400, "invalid_body", `${field("changes")} must change at least one column`, {
        field: field("changes"),
        ...at,
      });
    const when = new Date(parsed.data.at);
    if (when.getTime() > now + FUTURE_TOLERANCE_MS)
      throw new EventInputError(
        400,
        "invalid_body",
        `${field("at")} is in the future (${parsed.data.at}); send the time the event happened`,
        { field: field("at"), ...at },
      );
    return {
      customerId: String(parsed.data.customer_id).trim(),
      datasetId: parsed.data.dataset_id,
      type: parsed.data.type,
      at: when,
      changes,
    };
  });
}

// ─── Per-dataset context (cached a few seconds, like the predict API's champion) ────────────────

interface DatasetContext {
  datasetId: number;
  predictor: Predictor;
  /** The version whose customers the Customers pages list (the one the champion scored). */
  versionId: number;
  schema: DatasetSchema;
  columns: Map<string, DatasetSchema["columns"][number]>;
}

const CONTEXT_CACHE_MS = 5_000;
const contextCaches = perDatabase(
  "events.contexts",
  () => new Map<number, { context: Promise<DatasetContext>; expiresAt: number }>(),
);

async function loadContext(db: Database, datasetId: number): Promise<DatasetContext> {
  const [predictor, scope] = await Promise.all([
    loadPredictor(db, datasetId),
    resolveCustomerScope(db, datasetId),
  ]);
  const versionId = scope.version?.id ?? predictor.model.datasetVersionId;
  const [version] = await db
    .select({ schema: datasetVersions.schema })
    .from(datasetVersions)
    .where(eq(datasetVersions.id, versionId));
  const schema = parseDatasetSchema(version.schema);
  return {
    datasetId,
    predictor,
    versionId,
    schema,
    columns: new Map(schema.columns.map((c) => [c.name, c])),
  };
}

function contextOf(db: Database, datasetId: number): Promise<DatasetContext> {
  const cache = contextCaches.of(db);
  const now = Date.now();
  const hit = cache.get(datasetId);
  if (hit && hit.expiresAt > now) return hit.context;
  const context = loadContext(db, datasetId);
  cache.set(datasetId, { context, expiresAt: now + CONTEXT_CACHE_MS });
  context.catch(() => cache.delete(datasetId));
  return context;
}

/** Forgets cached champions (tests that promote a model and expect events to follow at once). */
export function clearEventContextCache(db: Database): void {
  contextCaches.peek(db)?.clear();
}

// ─── Applying a batch ───────────────────────────────────────────────────────────────────────────

export interface AppliedEvent {
  index: number;
  eventId: number;
  /** Internal customer id (the customer page's). */
  customerRowId: number;
  customerId: string;
  datasetId: number;
  riskBefore: number | null;
  riskAfter: number;
  levelBefore: RiskLevel | null;
  levelAfter: RiskLevel;
  isLost: boolean;
}

export interface ApplyOptions {
  source: "api" | "demo";
  apiKeyId?: number | null;
  /** Skip the realtime push (the bench measures it separately). Default false. */
  silent?: boolean;
  /** Who the audit log names for outcomes the events record (default: the source's name). */
  actor?: Actor;
}

/** What subscribers of a dataset channel get after a batch is committed. */
export interface CustomerEventsMessage {
  datasetId: number;
  /** The last event per customer in the batch (customer row id, risk after, level after). */
  customers: { id: number; externalId: string; riskScore: number; riskLevel: RiskLevel; eventId: number }[];
  events: number;
}

interface CustomerState {
  rowId: number;
  externalId: string;
  label: number | null;
  features: Record<string, FeatureValue>;
  storedRisk: number | null;
  storedLevel: RiskLevel | null;
}

const refuseColumn = (
  context: DatasetContext,
  name: string,
  index: number,
  field: string,
): EventInputError | null => {
  const column = context.columns.get(name);
  if (!column) {
    const known = context.schema.columns
      .filter((c) => c.role !== "target" && c.role !== "identifier")
      .map((c) => c.name);
    const shown = known.slice(0, 12).map((c) => quoteValue(c));
    const more = known.length > shown.length ? ` and ${known.length - shown.length} more` : "";
    return new EventInputError(
      400,
      "unknown_column",
      `${field}: dataset ${context.datasetId} has no column ${quoteValue(truncateText(name))}; its columns are ${shown.join(", ")}${more}`,
      { field, index },
    );
  }
  if (column.role === "target" || column.role === "identifier")
    return new EventInputError(
      400,
      "read_only_column",
      `${field}: ${quoteValue(truncateText(name))} is the dataset's ${column.role} column, which events cannot change${column.role === "target" ? " (send an event of type churn or cancellation when a customer leaves; a new version of the dataset also tells who churned)" : ""}`,
      { field, index },
    );
  return null;
};

/**
 * Validates and applies a batch in one transaction, then pushes one realtime message per dataset.
 * Throws EventInputError (nothing written) for the first problem, in event order.
 */
export async function applyEvents(
  db: Database,
  events: readonly EventInput[],
  options: ApplyOptions,
): Promise<AppliedEvent[]> {
  if (events.length === 0) return [];
  const batch = events.length > 1;
  const where = (index: number, name: string) => (batch ? `events[${index}].${name}` : name);

  // Champions first (no transaction needed): a dataset without one fails before any lock is taken.
  const contexts = new Map<number, DatasetContext>();
  for (const [index, event] of events.entries()) {
    if (contexts.has(event.datasetId)) continue;
    try {
      contexts.set(event.datasetId, await contextOf(db, event.datasetId));
    } catch (error) {
      if (error instanceof NoChampionError || isMissingDataset(error))
        throw new EventInputError(
          404,
          error instanceof NoChampionError && error.reason === "no_champion"
            ? "no_champion"
            : "dataset_not_found",
          `${where(index, "dataset_id")}: ${error instanceof Error ? error.message : `dataset ${event.datasetId} does not exist`}`,
          { field: where(index, "dataset_id"), ...(batch ? { index } : {}) },
        );
      throw error;
    }
  }
  // Columns, before touching the database.
  for (const [index, event] of events.entries()) {
    const context = contexts.get(event.datasetId) as DatasetContext;
    for (const name of Object.keys(event.changes)) {
      const refused = refuseColumn(context, name, index, where(index, `changes.${truncateText(name)}`));
      if (refused) throw batch ? refused : withoutIndex(refused);
    }
  }

  const applied = await db.transaction(async (tx) => {
    const states = new Map<string, CustomerState>(); // key: datasetId + "\u0000" + externalId
    for (const context of contexts.values()) {
      const wanted = [
        ...new Set(events.filter((e) => e.datasetId === context.datasetId).map((e) => e.customerId)),
      ];
      const rows = await tx
        .select({
          id: customers.id,
          externalId: customers.externalId,
          rowNumber: customers.rowNumber,
          label: customers.label,
          uploaded: customers.features,
          current: customerCurrentFeatures.features,
          risk: scores.riskScore,
          level: scores.riskLevel,
        })
        .from(customers)
        .leftJoin(customerCurrentFeatures, eq(customerCurrentFeatures.customerId, customers.id))
        .leftJoin(
          scores,
          and(eq(scores.customerId, customers.id), eq(scores.modelId, context.predictor.model.modelId)),
        )
        .where(and(eq(customers.datasetVersionId, context.versionId), inArray(customers.externalId, wanted)))
        .orderBy(customers.rowNumber)
        // Two calls about one customer apply one after the other, never from the same old state.
        .for("update", { of: customers });
      for (const row of rows) {
        const key = `${context.datasetId}\u0000${row.externalId}`;
        if (states.has(key)) continue; // a duplicated id: the first row of the file, as the list links
        const features = columnRecord<FeatureValue>();
        const source = row.current ?? row.uploaded;
        for (const name of Object.keys(source)) features[name] = source[name];
        states.set(key, {
          rowId: Number(row.id),
          externalId: row.externalId,
          label: row.label,
          features,
          storedRisk: row.risk,
          storedLevel: (row.level as RiskLevel | null) ?? null,
        });
      }
    }

    // Walk the events in order: each sees the state the previous ones left.
    interface Pending {
      index: number;
      event: EventInput;
      state: CustomerState;
      context: DatasetContext;
      previous: Record<string, FeatureValue>;
      after: Record<string, FeatureValue>;
      /** Index in `records` of the state before (first event of a customer without a stored score). */
      beforeRecord: number | null;
      afterRecord: number;
      /** The event before this one for the same customer in this batch, if any. */
      prior: Pending | null;
    }
    const pending: Pending[] = [];
    const lastOf = new Map<CustomerState, Pending>();
    const recordsByDataset = new Map<number, { records: Record<string, FeatureValue>[] }>();
    const inputsRecord = (context: DatasetContext, features: Record<string, FeatureValue>) => {
      const record = columnRecord<FeatureValue>();
      for (const input of context.predictor.inputs)
        record[input.name] = hasField(features, input.name) ? (fieldOf(features, input.name) ?? null) : null;
      return record;
    };
    for (const [index, event] of events.entries()) {
      const context = contexts.get(event.datasetId) as DatasetContext;
      const state = states.get(`${event.datasetId}\u0000${event.customerId}`);
      if (!state)
        throw new EventInputError(
          400,
          "unknown_customer",
          `${where(index, "customer_id")}: dataset ${event.datasetId} has no customer ${quoteValue(truncateText(event.customerId))} (in the version its customers list shows)`,
          { field: where(index, "customer_id"), ...(batch ? { index } : {}) },
        );
      let bucket = recordsByDataset.get(event.datasetId);
      if (!bucket) {
        bucket = { records: [] };
        recordsByDataset.set(event.datasetId, bucket);
      }
      const prior = lastOf.get(state) ?? null;
      let beforeRecord: number | null = null;
      if (!prior && state.storedRisk === null) {
        beforeRecord = bucket.records.length;
        bucket.records.push(inputsRecord(context, state.features));
      }
      const previous = columnRecord<FeatureValue>();
      for (const name of Object.keys(event.changes))
        previous[name] = hasField(state.features, name) ? (fieldOf(state.features, name) ?? null) : null;
      const after = columnRecord<FeatureValue>();
      for (const name of Object.keys(state.features)) after[name] = state.features[name];
      for (const name of Object.keys(event.changes)) after[name] = event.changes[name];
      state.features = after;
      const afterRecord = bucket.records.length;
      bucket.records.push(inputsRecord(context, after));
      const item: Pending = {
        index,
        event,
        state,
        context,
        previous,
        after,
        beforeRecord,
        afterRecord,
        prior,
      };
      pending.push(item);
      lastOf.set(state, item);
    }

    // One prediction per dataset for the whole batch; strict about the columns the events changed.
    const predictions = new Map<number, ReturnType<Predictor["predict"]>>();
    for (const [datasetId, bucket] of recordsByDataset) {
      const context = contexts.get(datasetId) as DatasetContext;
      let result: ReturnType<Predictor["predict"]>;
      try {
        result = context.predictor.predict(bucket.records, { strict: false });
      } catch (error) {
        if (error instanceof PredictionInputError && error.issues.length) {
          const issue = error.issues[0];
          const item = pending.find(
            (p) =>
              p.event.datasetId === datasetId &&
              (p.afterRecord === issue.index || p.beforeRecord === issue.index),
          );
          const index = item?.index ?? 0;
          throw new EventInputError(
            400,
            issue.code,
            `${where(index, `changes.${issue.field}`)}: ${issue.message}`,
            {
              field: where(index, `changes.${issue.field}`),
              ...(batch ? { index } : {}),
            },
          );
        }
        throw error;
      }
      for (const item of pending) {
        if (item.event.datasetId !== datasetId) continue;
        const refused = result[item.afterRecord].warnings.find(
          (w) =>
            (w.code === "unseen_category" || w.code === "unreadable") &&
            hasField(item.event.changes, w.field),
        );
        if (!refused) continue;
        // The strict predictor's own words for what would be accepted.
        let message = refused.message;
        let code: EventErrorCode = refused.code === "unseen_category" ? "unknown_category" : "wrong_type";
        try {
          context.predictor.predict([bucket.records[item.afterRecord]], { strict: true });
        } catch (error) {
          const issue =
            error instanceof PredictionInputError
              ? error.issues.find((i) => i.field === refused.field)
              : undefined;
          if (issue) {
            message = issue.message;
            code = issue.code;
          }
        }
        const field = where(item.index, `changes.${truncateText(refused.field)}`);
        throw new EventInputError(400, code, `${field}: ${message}`, {
          field,
          ...(batch ? { index: item.index } : {}),
        });
      }
      predictions.set(datasetId, result);
    }

    // Write: the events, the customers' current features, the champion's scores.
    const eventRows = pending.map((item) => {
      const result = predictions.get(item.event.datasetId) as ReturnType<Predictor["predict"]>;
      const after = result[item.afterRecord];
      let riskBefore: number | null;
      let levelBefore: RiskLevel | null;
      if (item.prior) {
        const prior = result[item.prior.afterRecord];
        riskBefore = prior.riskScore;
        levelBefore = prior.riskLevel;
      } else if (item.beforeRecord !== null) {
        riskBefore = result[item.beforeRecord].riskScore;
        levelBefore = result[item.beforeRecord].riskLevel;
      } else {
        riskBefore = item.state.storedRisk;
        levelBefore = item.state.storedLevel;
      }
      return {
        item,
        prediction: after,
        row: {
          c: item.state.rowId,
          d: item.event.datasetId,
          t: item.event.type,
          o: item.event.at.toISOString(),
          ch: item.event.changes,
          p: item.previous,
          m: item.context.predictor.model.modelId,
          rb: riskBefore,
          ra: after.riskScore,
          lb: levelBefore,
          la: after.riskLevel,
        },
      };
    });
    // Ids drawn first, so each answer line gets its event's id whatever order RETURNING would use.
    const drawn = await tx.execute<{ id: string | number }>(
      sql`select nextval(pg_get_serial_sequence('customer_events', 'id')) as id from generate_series(1, ${eventRows.length}::integer)`,
    );
    const ids = rowsOf<{ id: string | number }>(drawn)
      .map((r) => Number(r.id))
      .sort((x, y) => x - y);
    await tx.execute(sql`
      insert into ${customerEvents}
        (id, customer_id, dataset_id, type, occurred_at, changes, previous, model_id,
         risk_before, risk_after, level_before, level_after, source, api_key_id)
      select r.i, r.c, r.d, r.t, r.o, r.ch, r.p, r.m, r.rb, r.ra, r.lb, r.la, ${options.source}, ${options.apiKeyId ?? null}::integer
      from json_to_recordset(${JSON.stringify(eventRows.map((e, k) => ({ i: ids[k], ...e.row })))}::json)
        as r(i bigint, c bigint, d integer, t text, o timestamptz, ch jsonb, p jsonb, m integer,
             rb real, ra real, lb text, la text)`);

    const finals = [...lastOf.values()];
    await tx.execute(sql`
      insert into ${customerCurrentFeatures} (customer_id, features, updated_at)
      select r.c, r.f, now() from json_to_recordset(${JSON.stringify(
        finals.map((f) => ({ c: f.state.rowId, f: f.after })),
      )}::json) as r(c bigint, f jsonb)
      on conflict (customer_id) do update set features = excluded.features, updated_at = excluded.updated_at`);
    await tx.execute(sql`
      insert into ${scores} (customer_id, model_id, risk_score, risk_level, drivers, scored_at)
      select r.c, r.m, r.s, r.l, r.d, now()
      from json_to_recordset(${JSON.stringify(
        finals.map((f) => {
          const prediction = (predictions.get(f.event.datasetId) as ReturnType<Predictor["predict"]>)[
            f.afterRecord
          ];
          return {
            c: f.state.rowId,
            m: f.context.predictor.model.modelId,
            s: prediction.riskScore,
            l: prediction.riskLevel,
            d: driversOf(prediction.contributions),
          };
        }),
      )}::json) as r(c bigint, m integer, s real, l text, d jsonb)
      on conflict (customer_id, model_id) do update set
        risk_score = excluded.risk_score, risk_level = excluded.risk_level,
        drivers = excluded.drivers, scored_at = excluded.scored_at`);

    // A "churn"/"cancel" event, or any event past a campaign's window, is an outcome of that
    // customer's open retention action: written (and audited) with the events.
    await recordOutcomesFromEvents(
      tx as unknown as Database,
      options.actor ?? { id: null, label: options.source === "demo" ? "demo event generator" : "system" },
      pending.map((p) => ({
        datasetId: p.event.datasetId,
        externalId: p.state.externalId,
        type: p.event.type,
        at: p.event.at,
      })),
      { source: options.source, apiKeyId: options.apiKeyId },
    );

    return eventRows.map(
      (e, k): AppliedEvent => ({
        index: e.item.index,
        eventId: ids[k],
        customerRowId: e.item.state.rowId,
        customerId: e.item.state.externalId,
        datasetId: e.item.event.datasetId,
        riskBefore: e.row.rb,
        riskAfter: e.prediction.riskScore,
        levelBefore: e.row.lb,
        levelAfter: e.prediction.riskLevel,
        isLost: e.item.state.label === 1,
      }),
    );
  });

  bumpScoresGeneration();
  if (!options.silent) await publishApplied(applied);
  return applied;
}

/** One message per dataset: the last event of each customer (pages refetch what they show). */
export async function publishApplied(applied: readonly AppliedEvent[]): Promise<void> {
  const byDataset = new Map<number, Map<number, AppliedEvent>>();
  for (const event of applied) {
    let latest = byDataset.get(event.datasetId);
    if (!latest) {
      latest = new Map();
      byDataset.set(event.datasetId, latest);
    }
    latest.set(event.customerRowId, event);
  }
  const publisher = getPublisher();
  await Promise.all(
    [...byDataset].map(([datasetId, latest]) => {
      const message: CustomerEventsMessage = {
        datasetId,
        events: applied.filter((a) => a.datasetId === datasetId).length,
        customers: [...latest.values()].map((a) => ({
          id: a.customerRowId,
          externalId: a.customerId,
          riskScore: a.riskAfter,
          riskLevel: a.levelAfter,
          eventId: a.eventId,
        })),
      };
      return publisher.publish(channels.dataset(datasetId), CUSTOMER_EVENTS_MESSAGE, message);
    }),
  );
}

function driversOf(
  contributions: readonly { column: string; value: unknown; probability: number }[],
): RiskDriver[] {
  return contributions.slice(0, 3).map((c) => ({
    column: c.column,
    value:
      c.value === null || c.value === undefined
        ? null
        : typeof c.value === "number"
          ? c.value
          : typeof c.value === "boolean"
            ? String(c.value)
            : String(c.value).trim() || null,
    contribution: Math.round(c.probability * 1e6) / 1e6,
  }));
}

function withoutIndex(error: EventInputError): EventInputError {
  const { index: _index, ...details } = error.details;
  return new EventInputError(error.status, error.code, error.message, details);
}

function isMissingDataset(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { code?: unknown }).code === "NOT_FOUND" &&
    error instanceof Error &&
    /does not exist/.test(error.message)
  );
}

function rowsOf<T>(result: unknown): T[] {
  // drizzle's execute gives an array on postgres-js and { rows } on PGlite.
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
