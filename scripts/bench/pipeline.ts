/**
 * `npm run bench:pipeline`: wall time from upload to every customer scored, for the Telco file,
 * through the same services and embedded job runner the app uses (PGlite, and PostgreSQL too when
 * DATABASE_URL is set), plus the publish-to-subscriber latency of progress events (SSE path).
 *
 *   npm run bench:pipeline [-- --file ../shared/data/telco-customer-churn.csv] [--json]
 *   npm run bench:pipeline -- --rows 1000000 [--only pglite|postgres] [--tuning quick|thorough]
 *     [--write-mode copy|insert] [--import-only]
 *
 * `--write-mode` picks how the import writes customers (default: COPY on both engines; `insert` is
 * the former batched INSERT … json_to_recordset), `--import-only` stops after the import: together
 * they reproduce the COPY-vs-INSERT table in BENCHMARKS.md.
 *
 * `--rows N` first writes a synthetic Telco-shaped file of N customers (scripts/bench/synthetic-telco.ts)
 * to a temporary folder and runs on that. Peak RSS of the process (sampled every 250 ms, plus
 * the kernel's high-water mark) is reported per database.
 *
 * The model fitting, explaining and scoring run on worker threads as in the app's embedded mode
 * (TRAINING_WORKER_THREADS=0 runs them on the main thread, for comparison); the event-loop delay
 * of the main thread during training shows what a web request would have waited.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { count, eq } from "drizzle-orm";
import { trainModels } from "../../jobs/functions/train-models";
import { EmbeddedRunner } from "../../jobs/runner";
import { wireDurableWork } from "../../jobs/wire";
import { TELCO_CSV } from "../../lib/testing/shared-data";
import { customers, jobSteps, scores, trainingRuns } from "../../server/db/schema";
import { resetServerEnvCache } from "../../server/env";
import { SYSTEM_ACTOR } from "../../server/services/audit";
import { importDatasetFromFile } from "../../server/services/datasets";
import type { CustomerWriteMode } from "../../server/services/datasets/customer-copy";
import { startTraining } from "../../server/services/training";
import { getComputePool } from "../../server/services/training/compute-pool";
import { DEFAULT_TUNING, TUNING_BUDGETS, type TuningBudget } from "../../server/services/training/params";
import { openFreshDatabase } from "./fresh-database";
import { benchRealtime } from "./realtime";
import { writeSyntheticTelco } from "./synthetic-telco";

wireDurableWork();

const { values } = parseArgs({
  options: {
    file: { type: "string", default: TELCO_CSV },
    rows: { type: "string" },
    only: { type: "string" },
    tuning: { type: "string", default: DEFAULT_TUNING },
    "write-mode": { type: "string" },
    "import-only": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
if (!(TUNING_BUDGETS as readonly string[]).includes(values.tuning as string)) {
  console.error(`--tuning expects one of ${TUNING_BUDGETS.join(", ")}, got "${values.tuning}"`);
  process.exit(1);
}
const tuning = values.tuning as TuningBudget;
const writeModeArg = values["write-mode"];
if (writeModeArg !== undefined && writeModeArg !== "copy" && writeModeArg !== "insert") {
  console.error(`--write-mode expects copy or insert, got "${writeModeArg}"`);
  process.exit(1);
}
// Unset: the import's own choice (COPY on both engines); "insert" reproduces the former writes.
const writeMode = writeModeArg as CustomerWriteMode | undefined;
// Files go to a throw-away folder, never the app's .data.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "churnguard-bench-"));
let file = path.resolve(values.file as string);
if (!existsSync(TELCO_CSV) && values.rows) {
  console.error(`--rows resamples ${TELCO_CSV}, which is absent`);
  process.exit(1);
}
if (values.rows) {
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 1) {
    console.error(`--rows expects a positive whole number, got "${values.rows}"`);
    process.exit(1);
  }
  file = path.join(dataDir, `synthetic-telco-${rows}.csv`);
  const t0 = performance.now();
  await writeSyntheticTelco(TELCO_CSV, file, rows);
  console.error(
    `wrote ${rows} synthetic rows (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
if (!existsSync(file)) {
  console.error(`No such file: ${file}`);
  process.exit(1);
}
process.env.DATA_DIR = dataDir;
delete process.env.S3_BUCKET;
resetServerEnvCache();

const silent = { info: () => {}, warn: () => {}, error: (m: string, e?: unknown) => console.error(m, e) };

interface PipelineResult {
  database: string;
  rows: number;
  importSeconds: number;
  trainingSeconds: number;
  totalSeconds: number;
  scored: number;
  steps: { step: string; seconds: number }[];
  /** Where the CPU-heavy step bodies ran ("workers": worker threads, TRAINING_WORKER_THREADS). */
  compute: "workers" | "in-process";
  /** Event-loop delay of the main thread during training (what a web request would have waited). */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** Highest resident set size sampled during this database's run, MB. */
  peakRssMb: number;
}

/** Samples RSS every 250 ms; process.resourceUsage().maxRSS is the whole process's lifetime peak. */
function rssSampler(): { stop: () => number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 250);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss()) / 1e6;
    },
  };
}

async function benchPipeline(kind: "pglite" | "postgres"): Promise<PipelineResult> {
  const { handle, cleanup } = await openFreshDatabase(kind, { dataDir, name: "churnguard_bench" });
  const { db } = handle;
  const rss = rssSampler();
  try {
    const started = performance.now();
    const imported = await importDatasetFromFile(
      db,
      SYSTEM_ACTOR,
      { filePath: file, name: "Benchmark" },
      { writeMode },
    );
    const importedAt = performance.now();
    if (values["import-only"]) {
      return {
        database: kind,
        rows: imported.rowCount,
        importSeconds: (importedAt - started) / 1000,
        trainingSeconds: 0,
        totalSeconds: (importedAt - started) / 1000,
        scored: 0,
        steps: [],
        compute: getComputePool().mode,
        eventLoopDelayMs: { p50: 0, p99: 0, max: 0 },
        peakRssMb: rss.stop(),
      };
    }
    const run = await startTraining(
      db,
      SYSTEM_ACTOR,
      { datasetVersionId: imported.datasetVersionId, tuning },
      { functions: [trainModels] },
    );
    const runner = new EmbeddedRunner({ db, functions: [trainModels], logger: silent, backoffMs: () => 0 });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    for (;;) {
      await runner.drain();
      const [state] = await db.select().from(trainingRuns).where(eq(trainingRuns.id, run.id));
      if (state.status !== "queued" && state.status !== "running") {
        if (state.status !== "succeeded") throw new Error(`Run ended ${state.status}: ${state.error}`);
        break;
      }
    }
    const finished = performance.now();
    delay.disable();
    const [scored] = await db
      .select({ n: count() })
      .from(scores)
      .innerJoin(customers, eq(customers.id, scores.customerId))
      .where(eq(customers.datasetVersionId, imported.datasetVersionId));
    const steps = await db
      .select({ step: jobSteps.stepId, ms: jobSteps.durationMs })
      .from(jobSteps)
      .where(eq(jobSteps.jobId, run.jobId as string))
      .orderBy(jobSteps.finishedAt);
    return {
      database: kind,
      rows: imported.rowCount,
      importSeconds: (importedAt - started) / 1000,
      trainingSeconds: (finished - importedAt) / 1000,
      totalSeconds: (finished - started) / 1000,
      scored: scored.n,
      steps: steps.map((s) => ({ step: s.step, seconds: s.ms / 1000 })),
      compute: getComputePool().mode,
      eventLoopDelayMs: {
        p50: delay.percentile(50) / 1e6,
        p99: delay.percentile(99) / 1e6,
        max: delay.max / 1e6,
      },
      peakRssMb: rss.stop(),
    };
  } finally {
    await cleanup();
  }
}

const kinds = (process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"]).filter(
  (k) => !values.only || k === values.only,
) as ("pglite" | "postgres")[];
const pipelines: PipelineResult[] = [];
for (const kind of kinds) pipelines.push(await benchPipeline(kind));
const realtime = await benchRealtime({ messages: 300, subscriberCounts: [1, 25] });
rmSync(dataDir, { recursive: true, force: true });

if (values.json) {
  console.log(
    JSON.stringify(
      { file: path.basename(file), maxRssMb: process.resourceUsage().maxRSS / 1e3, pipelines, realtime },
      null,
      2,
    ),
  );
} else {
  for (const p of pipelines) {
    console.log(
      `\n${p.database}: ${p.rows} rows — upload+import ${p.importSeconds.toFixed(2)} s, training+scoring ${p.trainingSeconds.toFixed(2)} s, total ${p.totalSeconds.toFixed(2)} s, ${p.scored} customers scored`,
    );
    const d = p.eventLoopDelayMs;
    console.log(
      `  peak RSS ${p.peakRssMb.toFixed(0)} MB (process lifetime max ${(process.resourceUsage().maxRSS / 1e3).toFixed(0)} MB); compute ${p.compute}; main-thread event-loop delay during training: p50 ${d.p50.toFixed(1)} ms, p99 ${d.p99.toFixed(1)} ms, max ${d.max.toFixed(1)} ms`,
    );
    for (const s of p.steps) console.log(`  ${s.step.padEnd(28)} ${s.seconds.toFixed(2)} s`);
  }
  console.log("\nProgress event latency (publish → subscriber):");
  for (const r of realtime) {
    console.log(
      `  ${r.mode.padEnd(6)} ${String(r.subscribers).padStart(3)} subscriber(s): p50 ${r.p50Ms.toFixed(2)} ms, p95 ${r.p95Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms`,
    );
  }
}
process.exit(0);
