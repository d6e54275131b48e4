/**
 * `npm run bench:batch`: batch scoring of a 100,000-row file (Telco-like rows from the sample
 * generator, without the Churn column) by the champion of a dataset trained on data/telco-sample.csv,
 * through the same upload service, durable function and embedded runner as the app, database
 * writes included. PGlite, and PostgreSQL too when DATABASE_URL is set. Target: ≤ 15 s.
 *
 *   npm run bench:batch [-- --rows 100000] [--champion <algorithm>] [--json]
 *       (BENCH_VERBOSE=1 prints every chunk step; --champion promotes that algorithm's model of the
 *       run before scoring, e.g. gradient_boosting, instead of the one training chose)
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { and, count, eq } from "drizzle-orm";
import { generateTelcoLikeRows, toCsv } from "../data/generate-sample";
import { scoreBatch } from "../jobs/functions/score-batch";
import { trainModels } from "../jobs/functions/train-models";
import { EmbeddedRunner } from "../jobs/runner";
import { wireDurableWork } from "../jobs/wire";
import { batchScores, jobSteps, models, scoreBatches, trainingRuns } from "../server/db/schema";
import { resetServerEnvCache } from "../server/env";
import { SYSTEM_ACTOR } from "../server/services/audit";
import { getBatch, stageBatchUpload, startBatch } from "../server/services/batch-scoring";
import { importDatasetFromFile } from "../server/services/datasets";
import { promoteModel } from "../server/services/models";
import { startTraining } from "../server/services/training";
import { openFreshDatabase } from "./bench/fresh-database";

wireDurableWork();

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    champion: { type: "string" },
    json: { type: "boolean", default: false },
  },
});
const rowCount = Number(values.rows);
if (!Number.isInteger(rowCount) || rowCount < 1) {
  console.error(`--rows must be a positive whole number, got ${values.rows}`);
  process.exit(1);
}

// Files go to a throw-away folder, never the app's .data.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "churnguard-bench-batch-"));
process.env.DATA_DIR = dataDir;
delete process.env.S3_BUCKET;
resetServerEnvCache();

const silent = { info: () => {}, warn: () => {}, error: (m: string, e?: unknown) => console.error(m, e) };
const TARGET_SECONDS = 15;

interface BatchResult {
  database: string;
  rows: number;
  champion: string;
  uploadSeconds: number;
  loadSeconds: number;
  scoreSeconds: number;
  writeSeconds: number;
  chunkStepsSeconds: number;
  finaliseSeconds: number;
  totalSeconds: number;
  rowsPerSecond: number;
  /** CPU time of this process (all its threads) from upload to done: on a machine shared with
   * other work, closer to the idle wall time than the wall time is (PostgreSQL's own is not in it). */
  cpuSeconds: number;
  scored: number;
}

function fileToScore(rows: number): Uint8Array {
  const generated = generateTelcoLikeRows(rows, 2_024);
  const churnAt = generated[0].indexOf("Churn");
  return new TextEncoder().encode(toCsv(generated.map((r) => r.filter((_, i) => i !== churnAt))));
}

async function* bodyOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += 64 * 1024) yield bytes.subarray(i, i + 64 * 1024);
}

async function benchBatch(kind: "pglite" | "postgres", file: Uint8Array): Promise<BatchResult> {
  const { handle, cleanup } = await openFreshDatabase(kind, { dataDir, name: "churnguard_bench_batch" });
  const { db } = handle;
  try {
    // Not timed: a dataset trained on the sample, as on a fresh install.
    const imported = await importDatasetFromFile(db, SYSTEM_ACTOR, {
      bytes: readFileSync(path.resolve("data/telco-sample.csv")),
      name: "Sample",
      fileName: "telco-sample.csv",
    });
    const run = await startTraining(
      db,
      SYSTEM_ACTOR,
      { datasetVersionId: imported.datasetVersionId },
      { functions: [trainModels] },
    );
    const trainer = new EmbeddedRunner({ db, functions: [trainModels], logger: silent, backoffMs: () => 0 });
    for (;;) {
      await trainer.drain();
      const [state] = await db.select().from(trainingRuns).where(eq(trainingRuns.id, run.id));
      if (state.status === "succeeded") break;
      if (state.status !== "queued" && state.status !== "running")
        throw new Error(`Training ${state.status}`);
    }
    if (values.champion) {
      const [wanted] = await db
        .select({ id: models.id })
        .from(models)
        .where(and(eq(models.runId, run.id), eq(models.algorithm, values.champion)));
      if (!wanted) throw new Error(`The training run has no ${values.champion} model`);
      // The champion-scoring job it queues is not run here (only score-batch is).
      await promoteModel(db, SYSTEM_ACTOR, wanted.id);
    }
    const [champion] = await db
      .select({ algorithm: models.algorithm, version: models.version })
      .from(models)
      .where(and(eq(models.datasetId, imported.datasetId), eq(models.status, "champion")));

    // Timed: upload (stream to storage + whole-file checks), start, every job step.
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const preview = await stageBatchUpload(db, bodyOf(file), {
      datasetId: imported.datasetId,
      fileName: "to-score.csv",
      actor: SYSTEM_ACTOR,
    });
    const uploadedAt = performance.now();
    const batch = await startBatch(db, SYSTEM_ACTOR, preview.uploadId, { functions: [scoreBatch] });
    const runner = new EmbeddedRunner({ db, functions: [scoreBatch], logger: silent, backoffMs: () => 0 });
    for (;;) {
      await runner.drain();
      const state = await getBatch(db, batch.id);
      if (state.status === "succeeded") break;
      if (state.status !== "queued" && state.status !== "running") {
        throw new Error(`Batch ${state.status}: ${state.error}`);
      }
    }
    const finished = performance.now();
    const cpu = process.cpuUsage(cpuAtStart);
    const [{ jobId }] = await db
      .select({ jobId: scoreBatches.jobId })
      .from(scoreBatches)
      .where(eq(scoreBatches.id, batch.id));
    const steps = await db
      .select({ step: jobSteps.stepId, ms: jobSteps.durationMs, result: jobSteps.result })
      .from(jobSteps)
      .where(eq(jobSteps.jobId, jobId as string));
    const chunkSteps = steps.filter((s) => s.step.startsWith("score-chunk-"));
    if (process.env.BENCH_VERBOSE)
      for (const s of chunkSteps) console.log(s.step, s.ms, JSON.stringify(s.result));
    const sum = (list: number[]) => list.reduce((a, b) => a + b, 0) / 1000;
    const [scored] = await db
      .select({ n: count() })
      .from(batchScores)
      .where(eq(batchScores.batchId, batch.id));
    const totalSeconds = (finished - started) / 1000;
    return {
      database: kind,
      rows: preview.rowCount,
      champion: `${champion.algorithm} v${champion.version}`,
      uploadSeconds: (uploadedAt - started) / 1000,
      loadSeconds: sum(steps.filter((s) => s.step === "load").map((s) => s.ms)),
      scoreSeconds: sum(chunkSteps.map((s) => (s.result as { scoreMs: number }).scoreMs)),
      writeSeconds: sum(chunkSteps.map((s) => (s.result as { writeWaitMs: number }).writeWaitMs)),
      chunkStepsSeconds: sum(chunkSteps.map((s) => s.ms)),
      finaliseSeconds: sum(steps.filter((s) => s.step === "finalise").map((s) => s.ms)),
      totalSeconds,
      rowsPerSecond: preview.rowCount / totalSeconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      scored: scored.n,
    };
  } finally {
    await cleanup();
  }
}

async function main() {
  const file = fileToScore(rowCount);
  const kinds: ("pglite" | "postgres")[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
  const results: BatchResult[] = [];
  for (const kind of kinds) {
    if (!values.json) console.log(`Scoring ${rowCount.toLocaleString("en")} rows on ${kind}…`);
    results.push(await benchBatch(kind, file));
  }
  if (values.json) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  const s = (x: number) => `${x.toFixed(2)} s`;
  console.log(
    "\n| database | champion | rows | upload + checks | load (split) | chunk steps (scoring + writes, overlapped) | finalise | total | rows/s | CPU s (this process) | target |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of results) {
    const status = r.totalSeconds <= TARGET_SECONDS ? "met" : "**missed**";
    console.log(
      `| ${r.database === "pglite" ? "PGlite" : "PostgreSQL"} | ${r.champion} | ${r.rows.toLocaleString("en")} | ${s(r.uploadSeconds)} | ${s(r.loadSeconds)} | ${s(r.chunkStepsSeconds)} | ${s(r.finaliseSeconds)} | ${s(r.totalSeconds)} | ${Math.round(r.rowsPerSecond).toLocaleString("en")} | ${r.cpuSeconds.toFixed(1)} | ≤ ${TARGET_SECONDS} s: ${status} |`,
    );
    if (r.scored !== r.rows) console.log(`  (only ${r.scored} of ${r.rows} rows scored!)`);
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dataDir, { recursive: true, force: true }));
