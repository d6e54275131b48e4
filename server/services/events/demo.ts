/**
 * The demo event generator: when an admin turns it on, realistic events for the sample dataset
 * (contract changes, payment method changes, add-ons dropped, price changes, monthly renewals)
 * go through the same path as POST /api/v1/events, so a demo shows risk moving live. Off by
 * default; its rate is bounded (MAX_EVENTS_PER_MINUTE) and it turns itself off at `stopsAt`.
 *
 * A durable function fires every minute (jobs/functions/demo-events.ts): each tick emits the
 * minute's events in small bursts until the next tick, re-reading the setting between bursts so
 * "off" takes effect within seconds. Turning it on also starts a tick at once.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import { z } from "zod";
import { columnRecord, fieldOf } from "@/lib/column-record";
import { createRng, type Rng } from "@/lib/ml/random";
import type { Database } from "../../db/client";
import { customerCurrentFeatures, customerEvents, customers, datasets } from "../../db/schema";
import { startDurableWork } from "../../durable/port";
import { FieldValidationError } from "../../errors";
import { type Actor, SYSTEM_ACTOR } from "../audit";
import { resolveCustomerScope } from "../customers/scope";
import { SAMPLE_DATASET_NAME } from "../demo-seed";
import { loadPredictor, NoChampionError, type Predictor } from "../predictions";
import { getSetting, type SettingDefinition, setSetting } from "../settings";
import { applyEvents, type EventInput, type FeatureValue } from "./ingest";

export const DEMO_EVENTS_TICK_EVENT = "churnguard/demo-events.tick";
export const MAX_EVENTS_PER_MINUTE = 600;
export const MAX_DEMO_MINUTES = 120;
/** Events are sent in bursts this far apart, so a page shows a steady trickle. */
const BURST_MS = 2_000;
/** A tick stops this long before the next minute's tick starts (no overlap of two ticks). */
const TICK_MARGIN_MS = 2_000;

export const demoEventsSettingSchema = z.object({
  enabled: z.boolean(),
  eventsPerMinute: z.number().int().min(1).max(MAX_EVENTS_PER_MINUTE),
  durationMinutes: z.number().int().min(1).max(MAX_DEMO_MINUTES),
  /** ISO instant when it turns itself off; null while off. */
  stopsAt: z.string().nullable(),
});
export type DemoEventsSetting = z.infer<typeof demoEventsSettingSchema>;

export const DEMO_EVENTS_SETTING: SettingDefinition<DemoEventsSetting> = {
  key: "demo_events",
  schema: demoEventsSettingSchema,
  defaultValue: () => ({ enabled: false, eventsPerMinute: 60, durationMinutes: 15, stopsAt: null }),
};

export const configureDemoInputSchema = z.object({
  enabled: z.boolean(),
  eventsPerMinute: z
    .number()
    .int("Events per minute must be a whole number")
    .min(1, "Send at least 1 event per minute")
    .max(MAX_EVENTS_PER_MINUTE, `At most ${MAX_EVENTS_PER_MINUTE} events per minute`),
  durationMinutes: z
    .number()
    .int("The duration must be whole minutes")
    .min(1, "Run for at least 1 minute")
    .max(MAX_DEMO_MINUTES, `Run for at most ${MAX_DEMO_MINUTES} minutes`),
});
export type ConfigureDemoInput = z.infer<typeof configureDemoInputSchema>;

export interface DemoEventsStatus extends DemoEventsSetting {
  /** Whether it is on right now (enabled and not past stopsAt). */
  running: boolean;
  /** The sample dataset it sends events for, when it exists and has a champion. */
  dataset: { id: number; name: string } | null;
  /** Why it cannot run, in words (no sample dataset, no champion). */
  problem: string | null;
  /** Events the generator sent in the last hour. */
  eventsLastHour: number;
}

async function sampleDataset(db: Database): Promise<{ id: number; name: string } | null> {
  const [row] = await db
    .select({ id: datasets.id, name: datasets.name })
    .from(datasets)
    .where(eq(datasets.name, SAMPLE_DATASET_NAME));
  return row ?? null;
}

async function problemOf(db: Database, dataset: { id: number } | null): Promise<string | null> {
  if (!dataset)
    return `There is no dataset called “${SAMPLE_DATASET_NAME}”: load the sample data (npm run seed) to use the generator.`;
  try {
    await loadPredictor(db, dataset.id);
    return null;
  } catch (error) {
    if (error instanceof NoChampionError)
      return `“${SAMPLE_DATASET_NAME}” has no champion model yet: train it first, then the generator can rescore its customers.`;
    throw error;
  }
}

export async function getDemoEventsStatus(db: Database, now = new Date()): Promise<DemoEventsStatus> {
  const setting = await getSetting(db, DEMO_EVENTS_SETTING, { fresh: true });
  const dataset = await sampleDataset(db);
  const counted = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(customerEvents)
    .where(
      and(
        eq(customerEvents.source, "demo"),
        gt(customerEvents.receivedAt, new Date(now.getTime() - 3_600_000)),
      ),
    );
  const n = counted[0]?.n ?? 0;
  return {
    ...setting,
    running: isRunning(setting, now),
    dataset,
    problem: await problemOf(db, dataset),
    eventsLastHour: Number(n ?? 0),
  };
}

/**
 * Whether a minute's tick has anything to do: the generator is on (a tick past its stop time
 * still runs once, to turn it off and audit that). The embedded runner asks this before it
 * records the minute's job, so an idle generator writes nothing.
 */
export async function isDemoEnabled(db: Database): Promise<boolean> {
  const setting = await getSetting(db, DEMO_EVENTS_SETTING, { fresh: true });
  return setting.enabled;
}

function isRunning(setting: DemoEventsSetting, now: Date): boolean {
  return setting.enabled && setting.stopsAt !== null && new Date(setting.stopsAt).getTime() > now.getTime();
}

/** Turns the generator on (for `durationMinutes` from now) or off; audited as a settings change. */
export async function configureDemoEvents(
  db: Database,
  actor: Actor,
  input: ConfigureDemoInput,
  now = new Date(),
): Promise<DemoEventsStatus> {
  const parsed = configureDemoInputSchema.parse(input);
  if (parsed.enabled) {
    const problem = await problemOf(db, await sampleDataset(db));
    if (problem) throw new FieldValidationError({ enabled: [problem] });
  }
  const value: DemoEventsSetting = {
    ...parsed,
    stopsAt: parsed.enabled ? new Date(now.getTime() + parsed.durationMinutes * 60_000).toISOString() : null,
  };
  await setSetting(db, actor, DEMO_EVENTS_SETTING, value);
  // Start now rather than at the next minute's tick; the tick ends before that one begins.
  if (parsed.enabled) await startDurableWork(db, DEMO_EVENTS_TICK_EVENT, { scheduledFor: now.toISOString() });
  return getDemoEventsStatus(db, now);
}

// ─── Generating events ──────────────────────────────────────────────────────────────────────────

interface DemoCustomer {
  externalId: string;
  features: Record<string, FeatureValue>;
}

type Generator = (
  customer: DemoCustomer,
  predictor: Predictor,
  rng: Rng,
) => Record<string, FeatureValue> | null;

const categoriesOf = (predictor: Predictor, column: string): string[] =>
  predictor.inputs.find((i) => i.name === column && i.kind === "categorical")?.categories ?? [];

const switchCategory =
  (column: string, prefer?: (from: string, to: string) => boolean): Generator =>
  (customer, predictor, rng) => {
    const from = String(fieldOf(customer.features, column) ?? "");
    let options = categoriesOf(predictor, column).filter((c) => c !== from);
    const preferred = prefer ? options.filter((to) => prefer(from, to)) : [];
    if (preferred.length) options = preferred;
    if (!options.length) return null;
    return changesOf(column, options[Math.floor(rng.next() * options.length)]);
  };

function changesOf(
  ...pairs: [string, FeatureValue][] | [string, FeatureValue]
): Record<string, FeatureValue> {
  const record = columnRecord<FeatureValue>();
  const list = (typeof pairs[0] === "string" ? [pairs as [string, FeatureValue]] : pairs) as [
    string,
    FeatureValue,
  ][];
  for (const [k, v] of list) record[k] = v;
  return record;
}

const numberOf = (value: FeatureValue | undefined): number | null => {
  const n = typeof value === "number" ? value : Number(value);
  return value === null || value === undefined || value === "" || !Number.isFinite(n) ? null : n;
};

/** Event type → how it changes a Telco-like customer (only columns the champion reads). */
const GENERATORS: [type: string, weight: number, generate: Generator][] = [
  ["plan_change", 3, switchCategory("Contract")],
  ["payment_method_change", 2, switchCategory("PaymentMethod")],
  [
    "addon_cancelled",
    2,
    (customer, predictor, rng) => {
      const addons = [
        "StreamingTV",
        "StreamingMovies",
        "OnlineBackup",
        "OnlineSecurity",
        "DeviceProtection",
        "TechSupport",
      ];
      const held = addons.filter(
        (a) => fieldOf(customer.features, a) === "Yes" && categoriesOf(predictor, a).includes("No"),
      );
      if (!held.length) return null;
      return changesOf(held[Math.floor(rng.next() * held.length)], "No");
    },
  ],
  [
    "support_ticket",
    2,
    (customer, predictor) =>
      fieldOf(customer.features, "TechSupport") === "No" &&
      categoriesOf(predictor, "TechSupport").includes("Yes")
        ? changesOf("TechSupport", "Yes")
        : null,
  ],
  [
    "price_change",
    2,
    (customer, predictor, rng) => {
      const charges = numberOf(fieldOf(customer.features, "MonthlyCharges"));
      const input = predictor.inputs.find((i) => i.name === "MonthlyCharges");
      if (charges === null || !input) return null;
      const factor = 1 + (rng.next() < 0.6 ? 1 : -1) * (0.05 + rng.next() * 0.15);
      const bounded = Math.min(input.max ?? charges * 2, Math.max(input.min ?? 0, charges * factor));
      return changesOf("MonthlyCharges", Math.round(bounded * 100) / 100);
    },
  ],
  [
    "renewal",
    3,
    (customer) => {
      const tenure = numberOf(fieldOf(customer.features, "tenure"));
      const charges = numberOf(fieldOf(customer.features, "MonthlyCharges"));
      const total = numberOf(fieldOf(customer.features, "TotalCharges"));
      if (tenure === null) return null;
      const changes = changesOf("tenure", tenure + 1);
      if (charges !== null && total !== null && hasInput(customer, "TotalCharges"))
        changes.TotalCharges = Math.round((total + charges) * 100) / 100;
      return changes;
    },
  ],
];

function hasInput(customer: DemoCustomer, column: string): boolean {
  return Object.hasOwn(customer.features, column);
}

const TOTAL_WEIGHT = GENERATORS.reduce((sum, [, w]) => sum + w, 0);

function pickGenerator(draw: number): (typeof GENERATORS)[number] {
  let left = draw;
  for (const entry of GENERATORS) {
    left -= entry[1];
    if (left < 0) return entry;
  }
  return GENERATORS[GENERATORS.length - 1];
}

/** `count` realistic events for customers of the pool (skipping draws that do not apply). */
export function generateDemoEvents(
  pool: readonly DemoCustomer[],
  predictor: Predictor,
  datasetId: number,
  count: number,
  rng: Rng,
  at = new Date(),
): EventInput[] {
  const events: EventInput[] = [];
  const known = new Set(predictor.inputs.map((i) => i.name));
  for (let attempt = 0; events.length < count && attempt < count * 10 && pool.length; attempt++) {
    const customer = pool[Math.floor(rng.next() * pool.length)];
    const [type, , generate] = pickGenerator(rng.next() * TOTAL_WEIGHT);
    const changes = generate(customer, predictor, rng);
    if (!changes || !Object.keys(changes).every((c) => known.has(c))) continue;
    events.push({ customerId: customer.externalId, datasetId, type, at, changes });
    // The pool follows the events, so the next event for this customer starts where this left off.
    for (const name of Object.keys(changes)) customer.features[name] = changes[name];
  }
  return events;
}

const POOL_SIZE = 400;

async function loadPool(db: Database, datasetId: number, rng: Rng): Promise<DemoCustomer[]> {
  const scope = await resolveCustomerScope(db, datasetId);
  if (!scope.version) return [];
  // Active customers only: events for someone who already left would move nothing on the pages.
  const rows = await db
    .select({
      externalId: customers.externalId,
      uploaded: customers.features,
      current: customerCurrentFeatures.features,
    })
    .from(customers)
    .leftJoin(customerCurrentFeatures, eq(customerCurrentFeatures.customerId, customers.id))
    .where(and(eq(customers.datasetVersionId, scope.version.id), sql`${customers.label} is distinct from 1`))
    .orderBy(sql`md5(${customers.id}::text || ${String(Math.floor(rng.next() * 1e9))})`)
    .limit(POOL_SIZE);
  return rows.map((r) => {
    const features = columnRecord<FeatureValue>();
    const source = r.current ?? r.uploaded;
    for (const name of Object.keys(source)) features[name] = source[name];
    return { externalId: r.externalId, features };
  });
}

export interface DemoTickResult {
  emitted: number;
  /** "off", "stopped" (reached stopsAt now), "unavailable" (no sample dataset or champion) or "ran". */
  outcome: "off" | "stopped" | "unavailable" | "ran";
}

export interface DemoTickOptions {
  /** The tick's slot; it emits until the next minute's slot (minus a margin). */
  scheduledFor: Date;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  seed?: number;
}

/** One minute of the generator (the durable function's only step). */
export async function runDemoTick(db: Database, options: DemoTickOptions): Promise<DemoTickResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const slotStart = Math.floor(options.scheduledFor.getTime() / 60_000) * 60_000;
  const until = slotStart + 60_000 - TICK_MARGIN_MS;
  let setting = await getSetting(db, DEMO_EVENTS_SETTING, { fresh: true });
  if (!setting.enabled) return { emitted: 0, outcome: "off" };
  if (!isRunning(setting, new Date(now()))) {
    await stopDemo(db, setting);
    return { emitted: 0, outcome: "stopped" };
  }
  const dataset = await sampleDataset(db);
  if (!dataset || (await problemOf(db, dataset))) return { emitted: 0, outcome: "unavailable" };
  const predictor = await loadPredictor(db, dataset.id);
  const rng = createRng(options.seed ?? (now() ^ 0x5eed) >>> 0);
  const pool = await loadPool(db, dataset.id, rng);
  if (!pool.length) return { emitted: 0, outcome: "unavailable" };

  let emitted = 0;
  let owed = 0;
  let last = now();
  for (;;) {
    const current = now();
    const stopsAt = new Date(setting.stopsAt ?? 0).getTime();
    if (current >= stopsAt) {
      await stopDemo(db, setting);
      return { emitted, outcome: "stopped" };
    }
    if (current >= until) break;
    // Whatever time passed since the last burst, at the configured rate (fractions carry over).
    owed += ((current - last) / 60_000) * setting.eventsPerMinute;
    last = current;
    const count = Math.min(Math.floor(owed), Math.ceil(setting.eventsPerMinute / 10));
    if (count > 0) {
      owed -= count;
      const events = generateDemoEvents(pool, predictor, dataset.id, count, rng, new Date(current));
      if (events.length) {
        await applyEvents(db, events, { source: "demo" });
        emitted += events.length;
      }
    }
    await sleep(Math.min(BURST_MS, Math.max(0, until - now())));
    setting = await getSetting(db, DEMO_EVENTS_SETTING, { fresh: true });
    if (!setting.enabled) return { emitted, outcome: "off" };
  }
  return { emitted, outcome: "ran" };
}

/** Audited as the system turning it off, so the audit log says when a demo ended by itself. */
async function stopDemo(db: Database, setting: DemoEventsSetting): Promise<void> {
  await setSetting(db, SYSTEM_ACTOR, DEMO_EVENTS_SETTING, { ...setting, enabled: false, stopsAt: null });
}
