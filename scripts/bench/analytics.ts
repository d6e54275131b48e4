/**
 * Analytics at scale: imports 100,000 synthetic Telco-like customers, gives each a champion score
 * written straight into `scores` (as bench:customers does: how scores are computed is
 * bench:pipeline's subject), marks the generator's churners as lost, then times the server side of
 * the Analytics page, the campaign planner and the dashboard, uncached (cache cleared before each
 * run) and cached, on PGlite and, when DATABASE_URL is set, on PostgreSQL.
 * Targets (issue 12): ≤ 200 ms uncached, ≤ 20 ms cached.
 *
 *   npm run bench:analytics [-- --rows 100000] [--runs 5] [--json] [--only pglite|postgres] [--keep]
 *     [--events-share 0.1]   (that share of customers with current features, as events leave them)
 *
 * --keep leaves the PostgreSQL database in place (its name is printed) for EXPLAIN ANALYZE.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { generateTelcoLikeRows, toCsv } from "../../data/generate-sample";
import type { DatabaseHandle } from "../../server/db/client";
import { models, trainingRuns } from "../../server/db/schema";
import { resetServerEnvCache } from "../../server/env";
import {
  analyseRetention,
  analyticsOverview,
  clearAnalyticsCache,
  exploreSegments,
  riskTrend,
} from "../../server/services/analytics";
import { SYSTEM_ACTOR } from "../../server/services/audit";
import { previewCampaign } from "../../server/services/campaigns";
import { getDashboardOverview } from "../../server/services/dashboard";
import { importDatasetFromFile } from "../../server/services/datasets";
import { bumpScoresGeneration } from "../../server/services/scoring/generation";
import { openFreshDatabase } from "./fresh-database";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    runs: { type: "string", default: "5" },
    json: { type: "boolean", default: false },
    only: { type: "string" },
    keep: { type: "boolean", default: false },
    /** Share of customers given current features (as live events leave them), 0..1. Default 0. */
    "events-share": { type: "string", default: "0" },
  },
});
const EVENTS_SHARE = Number(values["events-share"]);
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);

const dataDir = mkdtempSync(path.join(os.tmpdir(), "churnguard-bench-analytics-"));
process.env.DATA_DIR = dataDir;
delete process.env.S3_BUCKET;
resetServerEnvCache();

/** A champion with a calibration table, and one score per customer (seeded, from contract and tenure). */
async function scoreEveryone(handle: DatabaseHandle, datasetId: number, datasetVersionId: number) {
  const { db } = handle;
  const [run] = await db
    .insert(trainingRuns)
    .values({ datasetId, datasetVersionId, status: "succeeded", params: {}, progress: 1 })
    .returning({ id: trainingRuns.id });
  const calibration = Array.from({ length: 10 }, (_, b) => ({
    lower: b / 10,
    upper: (b + 1) / 10,
    count: 200,
    meanPredicted: b / 10 + 0.05,
    observedRate: Math.min(1, b / 10 + 0.04),
  }));
  const lift = Array.from({ length: 10 }, (_, d) => ({
    decile: d + 1,
    cumulativeGain: Math.min(1, (d + 1) * 0.22),
  }));
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
      metrics: { test: { rocAuc: 0.85 }, trainingRows: ROWS * 0.8, testRows: ROWS * 0.2 },
      curves: { test: { calibration, lift } },
      importance: [
        { column: "Contract", value: 0.9 },
        { column: "tenure", value: 0.6 },
        { column: "InternetService", value: 0.4 },
      ],
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
    name: "churnguard_bench_analytics",
    keep: values.keep,
  });
  try {
    const csv = toCsv(generateTelcoLikeRows(ROWS, 20261205));
    const imported = await importDatasetFromFile(handle.db, SYSTEM_ACTOR, {
      bytes: new TextEncoder().encode(csv),
      name: "Bench analytics",
      fileName: "bench.csv",
    });
    await scoreEveryone(handle, imported.datasetId, imported.datasetVersionId);
    if (EVENTS_SHARE > 0) {
      // Every n-th customer as an event would leave it: the upload row with a new contract.
      const every = Math.max(1, Math.round(1 / EVENTS_SHARE));
      await handle.db.execute(sql`
        insert into customer_current_features (customer_id, features)
        select id, features || '{"Contract": "Two year"}'::jsonb from customers
        where dataset_version_id = ${imported.datasetVersionId} and row_number % ${every}::integer = 0`);
    }
    const datasetId = imported.datasetId;
    const db = handle.db;
    const scenarios: { name: string; run: () => Promise<unknown>; cached: boolean }[] = [
      { name: "analytics overview", run: () => analyticsOverview(db, datasetId), cached: false },
      {
        name: "segments: Contract",
        run: () => exploreSegments(db, { datasetId, columns: ["Contract"] }),
        cached: true,
      },
      {
        name: "segments: tenure in 4 bins",
        run: () => exploreSegments(db, { datasetId, columns: ["tenure"] }),
        cached: true,
      },
      {
        name: "segments: Contract × InternetService",
        run: () => exploreSegments(db, { datasetId, columns: ["Contract", "InternetService"] }),
        cached: true,
      },
      {
        name: "retention: tenure by Contract",
        run: () => analyseRetention(db, { datasetId, segmentColumn: "Contract" }),
        cached: true,
      },
      { name: "risk over time", run: () => riskTrend(db, { datasetId }), cached: true },
      {
        name: "campaign preview: monthly × 12",
        run: () =>
          previewCampaign(db, {
            datasetId,
            offerCost: 20,
            acceptanceRate: 0.3,
            value: { source: "monthly", months: 12 },
          }),
        cached: false,
      },
      {
        name: "campaign preview: remaining lifetime",
        run: () =>
          previewCampaign(db, {
            datasetId,
            offerCost: 20,
            acceptanceRate: 0.3,
            value: { source: "lifetime" },
          }),
        cached: false,
      },
      {
        name: "campaign preview: Contract filter",
        run: () =>
          previewCampaign(db, {
            datasetId,
            offerCost: 20,
            acceptanceRate: 0.3,
            value: { source: "monthly", months: 12 },
            filters: [{ column: "Contract", value: "Month-to-month" }],
          }),
        cached: false,
      },
      { name: "dashboard overview", run: () => getDashboardOverview(db, datasetId), cached: false },
    ];
    const timings = [];
    for (const s of scenarios) {
      // Uncached: the cache is cleared and the scores generation bumped before every run.
      const cold = await timeIt(s.run, () => {
        clearAnalyticsCache();
        bumpScoresGeneration();
      });
      const warm = s.cached ? await timeIt(s.run) : null;
      timings.push({
        scenario: s.name,
        uncachedMedianMs: median(cold),
        uncachedMaxMs: cold[cold.length - 1],
        cachedMedianMs: warm ? median(warm) : null,
      });
    }
    return { database: kind, rows: imported.rowCount, timings };
  } finally {
    await cleanup();
  }
}

const kinds = (process.env.DATABASE_URL ? (["pglite", "postgres"] as const) : (["pglite"] as const)).filter(
  (k) => values.only === undefined || values.only === k,
);
const results = [];
try {
  for (const kind of kinds) results.push(await bench(kind));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
if (values.json) console.log(JSON.stringify(results, null, 2));
else {
  for (const r of results) {
    console.log(
      `\n${r.database}: ${r.rows.toLocaleString("en-US")} customers, ${RUNS} timed runs per query after one warm-up`,
    );
    console.log("| query | uncached median ms (max) | cached median ms |\n| --- | --- | --- |");
    for (const t of r.timings)
      console.log(
        `| ${t.scenario} | ${t.uncachedMedianMs.toFixed(1)} (${t.uncachedMaxMs.toFixed(1)}) | ${t.cachedMedianMs === null ? "—" : t.cachedMedianMs.toFixed(1)} |`,
      );
  }
}
