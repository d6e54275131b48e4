/**
 * Live customer events under sustained load: batches of events applied through the same code as
 * POST /api/v1/events (validation, one transaction, batched champion rescoring, realtime push),
 * with an SSE subscriber on the dataset's channel served over node:http as a browser would read
 * it. Reports sustained events per second and the event → subscriber latency (from the moment a
 * batch is handed to applyEvents to the moment its message is read from the SSE stream).
 *
 *   npx tsx scripts/bench/events.ts [--rows 3000] [--batch 500] [--seconds 20] [--db pglite|postgres]
 *     [--algorithms logistic_regression,gradient_boosting] [--json]
 */
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { generateTelcoLikeRows, toCsv } from "../../data/generate-sample";
import { trainModels } from "../../jobs/functions/train-models";
import { EmbeddedRunner } from "../../jobs/runner";
import { wireDurableWork } from "../../jobs/wire";
import { createRng } from "../../lib/ml/random";
import type { Algorithm } from "../../lib/ml/types";
import { customers, models } from "../../server/db/schema";
import { channels } from "../../server/realtime";
import { sseResponse } from "../../server/realtime/sse";
import { importDatasetFromFile } from "../../server/services/datasets";
import { applyEvents, generateDemoEvents } from "../../server/services/events";
import { loadPredictor } from "../../server/services/predictions";
import { startTraining } from "../../server/services/training";
import { openFreshDatabase } from "./fresh-database";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const rows = Number(option("rows", "3000"));
const batchSize = Number(option("batch", "500"));
const seconds = Number(option("seconds", "20"));
const kind = option("db", process.env.DATABASE_URL ? "postgres" : "pglite") as "pglite" | "postgres";
const algorithms = option("algorithms", "logistic_regression,gradient_boosting").split(",") as Algorithm[];
const asJson = args.includes("--json");

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const quiet = { info: () => {}, warn: () => {}, error: (m: string, e?: unknown) => console.error(m, e) };

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cg-bench-events-"));
  process.env.DATA_DIR = dataDir;
  wireDurableWork();
  const fresh = await openFreshDatabase(kind, { dataDir, name: "bench_events" });
  const db = fresh.handle.db;
  try {
    const log = (m: string) => !asJson && console.log(m);
    log(`Training a champion on ${rows} Telco-like customers (${kind})…`);
    const imported = await importDatasetFromFile(
      db,
      { id: null, label: "bench" },
      { bytes: new TextEncoder().encode(toCsv(generateTelcoLikeRows(rows, 42))), name: "Telco sample" },
    );
    const run = await startTraining(
      db,
      { id: null, label: "bench" },
      {
        datasetVersionId: imported.datasetVersionId,
        algorithms,
        folds: 3,
      },
    );
    const runner = new EmbeddedRunner({ db, functions: [trainModels], backoffMs: () => 0, logger: quiet });
    for (let i = 0; i < 20 && (await runner.drain()) > 0; i++);
    const [champion] = await db
      .select({ id: models.id, algorithm: models.algorithm })
      .from(models)
      .where(and(eq(models.runId, run.id), eq(models.status, "champion")));
    if (!champion) throw new Error("training registered no champion");
    const predictor = await loadPredictor(db, imported.datasetId);
    const pool = (
      await db
        .select({ externalId: customers.externalId, features: customers.features, label: customers.label })
        .from(customers)
        .where(eq(customers.datasetVersionId, imported.datasetVersionId))
    )
      .filter((c) => c.label !== 1)
      .map((c) => ({ externalId: c.externalId, features: { ...c.features } }));

    // The SSE subscriber, over HTTP like a browser's EventSource.
    const channel = channels.dataset(imported.datasetId);
    const server = http.createServer(async (req, res) => {
      const abort = new AbortController();
      req.on("close", () => abort.abort());
      const response = sseResponse(
        new Request(`http://bench.local/api/realtime?channel=${channel}`, { signal: abort.signal }),
        true,
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.flushHeaders();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/realtime?channel=${channel}`;
    const sentAt = new Map<number, number>(); // first event id of a batch → when the batch was handed over
    const latencies: number[] = [];
    const abort = new AbortController();
    const stream = (await fetch(url, { signal: abort.signal })).body as ReadableStream<Uint8Array>;
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = "";
      for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          if (!frame.startsWith("data: ")) continue;
          const now = performance.now();
          const message = JSON.parse(frame.slice(6)) as { data?: { customers?: { eventId: number }[] } };
          const ids = message.data?.customers?.map((c) => c.eventId) ?? [];
          const first = Math.min(...ids);
          // A batch's events have consecutive ids from its first one.
          for (const [id, at] of sentAt)
            if (first >= id && first < id + batchSize) {
              latencies.push(now - at);
              sentAt.delete(id);
              break;
            }
        }
      }
    })().catch(() => {});
    await new Promise((r) => setTimeout(r, 200));

    log(`Champion: ${champion.algorithm}. Sending batches of ${batchSize} for ${seconds} s…`);
    const rng = createRng(7);
    let events = 0;
    let batches = 0;
    const applyTimes: number[] = [];
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      const batch = generateDemoEvents(pool, predictor, imported.datasetId, batchSize, rng);
      const t0 = performance.now();
      const applied = await applyEvents(db, batch, { source: "api" });
      applyTimes.push(performance.now() - t0);
      sentAt.set(applied[0].eventId, t0);
      events += applied.length;
      batches += 1;
      // Let the subscriber read (a real server interleaves requests and streams the same way).
      await new Promise((r) => setImmediate(r));
    }
    const elapsed = (performance.now() - started) / 1000;
    const deadline = Date.now() + 5_000;
    while (latencies.length < batches && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await reading;
    server.closeAllConnections();
    server.close();

    const sortedLatency = [...latencies].sort((a, b) => a - b);
    const sortedApply = [...applyTimes].sort((a, b) => a - b);
    const round = (v: number) => Math.round(v * 10) / 10;
    const result = {
      db: kind,
      champion: champion.algorithm,
      customers: rows,
      batchSize,
      seconds: round(elapsed),
      batches,
      events,
      eventsPerSecond: Math.round(events / elapsed),
      applyP50Ms: round(percentile(sortedApply, 50)),
      applyP99Ms: round(percentile(sortedApply, 99)),
      deliveries: latencies.length,
      latencyP50Ms: round(percentile(sortedLatency, 50)),
      latencyP99Ms: round(percentile(sortedLatency, 99)),
      latencyMaxMs: round(sortedLatency.at(-1) ?? 0),
    };
    if (asJson) console.log(JSON.stringify(result));
    else console.table(result);
  } finally {
    await fresh.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
