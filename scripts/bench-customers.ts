/**
 * Customers list at scale: imports 100,000 synthetic Telco-like customers (data/generate-sample.ts),
 * gives each a champion score written straight into `scores` (the list reads scores, it does not
 * care how they were computed; training and scoring 100k rows is bench:pipeline's subject), then
 * times the list service for the sorts and filters of the Customers page, on PGlite and, when
 * DATABASE_URL is set, on PostgreSQL.
 *
 *   npm run bench:customers [-- --rows 100000] [--runs 5] [--json]
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { generateTelcoLikeRows, toCsv } from "../data/generate-sample";
import type { DatabaseHandle } from "../server/db/client";
import { models, trainingRuns } from "../server/db/schema";
import { resetServerEnvCache } from "../server/env";
import { SYSTEM_ACTOR } from "../server/services/audit";
import {
  clearCustomerSummaryCache,
  customerFilterOptions,
  type ListCustomersInput,
  listCustomers,
} from "../server/services/customers";
import { importDatasetFromFile } from "../server/services/datasets";
import { openFreshDatabase } from "./bench/fresh-database";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    runs: { type: "string", default: "5" },
    json: { type: "boolean", default: false },
    /** Keep the bench database for EXPLAIN sessions (PostgreSQL when DATABASE_URL is set, else PGlite). */
    keep: { type: "boolean", default: false },
  },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);

const dataDir = mkdtempSync(path.join(os.tmpdir(), "churnguard-bench-customers-"));
process.env.DATA_DIR = dataDir;
delete process.env.S3_BUCKET;
resetServerEnvCache();

type Scenario = { name: string; input: Omit<ListCustomersInput, "datasetId"> };

const SCENARIOS: Scenario[] = [
  { name: "default: risk desc, page 1 of 25", input: {} },
  { name: "risk desc, page 100 of 100", input: { page: 100, pageSize: 100 } },
  { name: "level high, risk desc", input: { levels: ["high"] } },
  { name: "levels high+medium, risk asc", input: { levels: ["high", "medium"], direction: "asc" } },
  { name: "revenue at risk desc", input: { sort: "revenueAtRisk" } },
  { name: "monthly value asc", input: { sort: "monthlyValue", direction: "asc" } },
  { name: "customer id asc, page 50", input: { sort: "customerId", page: 50 } },
  {
    name: "Contract = Month-to-month",
    input: { filters: [{ column: "Contract", value: "Month-to-month" }] },
  },
  {
    name: "high + Contract + PaymentMethod, revenue desc",
    input: {
      levels: ["high"],
      sort: "revenueAtRisk",
      filters: [
        { column: "Contract", value: "Month-to-month" },
        { column: "PaymentMethod", value: "Electronic check" },
      ],
    },
  },
  {
    name: "InternetService in (Fiber, DSL), 100 per page",
    input: {
      pageSize: 100,
      filters: [
        { column: "InternetService", value: "Fiber optic" },
        { column: "InternetService", value: "DSL" },
      ],
    },
  },
  { name: "search contains 'ab'", input: { search: "ab" } },
  { name: "search prefix '12'", input: { search: "12", searchMode: "prefix" } },
];

/** A champion row and one score per customer: risk from contract and tenure plus noise (seeded). */
async function scoreEveryone(handle: DatabaseHandle, datasetId: number, datasetVersionId: number) {
  const { db } = handle;
  const [run] = await db
    .insert(trainingRuns)
    .values({ datasetId, datasetVersionId, status: "succeeded", params: {}, progress: 1 })
    .returning({ id: trainingRuns.id });
  const [model] = await db
    .insert(models)
    .values({
      runId: run.id,
      datasetId,
      datasetVersionId,
      algorithm: "gradient_boosting",
      version: 1,
      status: "champion",
      params: {},
      metrics: {},
      curves: {},
      importance: [],
      threshold: 0.3,
      cvAuc: 0.85,
      cvAucStd: 0.01,
      f1Churn: 0.63,
      f1Weighted: 0.78,
      brier: 0.13,
      fitSeconds: 1,
      artifactKey: "bench/none",
      artifactSha256: "0".repeat(64),
      promotedAt: new Date(),
    })
    .returning({ id: models.id });
  await db.execute(sql`select setseed(0.42)`);
  await db.execute(sql`
    insert into scores (customer_id, model_id, risk_score, risk_level, drivers, scored_at)
    select id, ${model.id}, p,
      case when p >= 0.6 then 'high' when p >= 0.3 then 'medium' else 'low' end,
      jsonb_build_array(
        jsonb_build_object('column', 'Contract', 'value', features ->> 'Contract', 'contribution', round((p * 0.4)::numeric, 4)),
        jsonb_build_object('column', 'tenure', 'value', (features ->> 'tenure')::float8, 'contribution', round((0.2 - p * 0.3)::numeric, 4)),
        jsonb_build_object('column', 'PaymentMethod', 'value', features ->> 'PaymentMethod', 'contribution', round((p * 0.1)::numeric, 4))
      ),
      now()
    from (
      select id, features, least(0.99, greatest(0.01,
        (case features ->> 'Contract' when 'Month-to-month' then 0.35 when 'One year' then 0.1 else 0.03 end)
        + (case when coalesce((features ->> 'tenure')::float8, 0) < 12 then 0.2 else 0 end)
        + random() * 0.35 - 0.1)) as p
      from customers where dataset_version_id = ${datasetVersionId}
    ) s`);
  await db.execute(sql`analyze customers`);
  await db.execute(sql`analyze scores`);
  return model.id;
}

interface Timing {
  scenario: string;
  /** First load of a filter: summary computed (cache cleared before every run). */
  coldMedianMs: number;
  coldMaxMs: number;
  /** The next page of the same filter and sort: summary from the cache. */
  nextPageMedianMs: number;
  matched: number;
}

async function timeIt(fn: () => Promise<unknown>, before?: () => void): Promise<number[]> {
  before?.();
  await fn(); // warm-up: plans, buffer cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    before?.();
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)];

async function bench(kind: "pglite" | "postgres") {
  const { handle, cleanup } = await openFreshDatabase(kind, {
    dataDir,
    name: "churnguard_bench_customers",
    keep: values.keep,
  });
  try {
    const csv = toCsv(generateTelcoLikeRows(ROWS, 20261125));
    let t = performance.now();
    const imported = await importDatasetFromFile(handle.db, SYSTEM_ACTOR, {
      bytes: new TextEncoder().encode(csv),
      name: "Bench customers",
      fileName: "bench.csv",
    });
    const importSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    await scoreEveryone(handle, imported.datasetId, imported.datasetVersionId);
    const scoreSeconds = (performance.now() - t) / 1000;
    const timings: Timing[] = [];
    for (const s of SCENARIOS) {
      let matched = 0;
      const input = { datasetId: imported.datasetId, ...s.input };
      const cold = await timeIt(async () => {
        const list = await listCustomers(handle.db, input);
        matched = list.summary.customers;
      }, clearCustomerSummaryCache);
      const next = await timeIt(() => listCustomers(handle.db, { ...input, page: (s.input.page ?? 1) + 1 }));
      timings.push({
        scenario: s.name,
        coldMedianMs: median(cold),
        coldMaxMs: cold[cold.length - 1],
        nextPageMedianMs: median(next),
        matched,
      });
    }
    const options = await timeIt(() => customerFilterOptions(handle.db, imported.datasetId));
    timings.push({
      scenario: "filter options",
      coldMedianMs: median(options),
      coldMaxMs: options[options.length - 1],
      nextPageMedianMs: Number.NaN,
      matched: 0,
    });
    return { database: kind, rows: imported.rowCount, importSeconds, scoreSeconds, timings };
  } finally {
    await cleanup();
  }
}

const kinds: ("pglite" | "postgres")[] = process.env.DATABASE_URL
  ? values.keep
    ? ["postgres"]
    : ["pglite", "postgres"]
  : ["pglite"];
const results = [];
try {
  for (const kind of kinds) results.push(await bench(kind));
} finally {
  if (values.keep && !process.env.DATABASE_URL)
    console.log(`kept PGlite database in ${path.join(dataDir, "pglite")}`);
  else rmSync(dataDir, { recursive: true, force: true });
}
if (values.json) console.log(JSON.stringify(results, null, 2));
else {
  for (const r of results) {
    console.log(
      `\n${r.database}: ${r.rows.toLocaleString("en-US")} customers (import ${r.importSeconds.toFixed(1)} s, scores ${r.scoreSeconds.toFixed(1)} s), ${RUNS} timed runs per query after one warm-up`,
    );
    console.log(
      "| query | matching customers | first load median ms (max) | next page median ms |\n| --- | --- | --- | --- |",
    );
    for (const t of r.timings)
      console.log(
        `| ${t.scenario} | ${t.matched ? t.matched.toLocaleString("en-US") : "—"} | ${t.coldMedianMs.toFixed(1)} (${t.coldMaxMs.toFixed(1)}) | ${Number.isNaN(t.nextPageMedianMs) ? "—" : t.nextPageMedianMs.toFixed(1)} |`,
      );
  }
}
