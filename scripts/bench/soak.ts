/**
 * `npm run bench:soak`: the server under mixed page traffic for `--minutes` (default 10) while a
 * training run and a batch scoring run, as in production: is memory flat and does every request
 * succeed?
 *
 * Against a production build (NEXT_DIST_DIR, default .next-bench-load) and a fresh seeded database
 * (PostgreSQL with one process per core when DATABASE_URL is set, else PGlite; `--db` chooses), it
 * signs in 8 real sessions, warms every page once, then drives autocannon at `--rate` requests per
 * second over `--connections` sockets through the page mix (dashboard, customers and its filters,
 * a customer, models, analytics, a what-if prediction through tRPC). At the start it begins a
 * training run (tRPC training.start) and uploads the sample file for batch scoring
 * (POST /api/score-batches, then batchScoring.start); each is started again whenever it finishes,
 * so both stay active for the whole soak. Reports the server processes' RSS at the start, every
 * minute and at the end, the failed requests (errors, timeouts, any answer but 200) and the jobs.
 *
 *   npm run bench:soak [-- --minutes 10] [--rate 20] [--connections 20] [--db pglite|postgres] [--json]
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  type Credentials,
  ensureBuild,
  type Kind,
  prepareDatabase,
  root,
  serverRssMb,
  signIn,
  startServer,
  stopServer,
  trpc,
  trpcUrl,
  waitFor,
} from "./server-harness";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    rate: { type: "string", default: "20" },
    connections: { type: "string", default: "20" },
    db: { type: "string" },
    port: { type: "string", default: "3615" },
    json: { type: "boolean", default: false },
    rebuild: { type: "boolean", default: false },
  },
});
const MINUTES = Number(values.minutes);
const RATE = Number(values.rate);
const CONNECTIONS = Number(values.connections);
const PORT = Number(values.port);
const BASE = `http://127.0.0.1:${PORT}`;
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next-bench-load";
const ADMIN: Credentials = { email: "bench-soak@churnguard.test", password: "Bench-soak-password-2026!" };
const log = (message: string) => {
  if (!values.json) console.log(`[bench:soak] ${new Date().toISOString().slice(11, 19)} ${message}`);
};

interface AutocannonResult {
  latency: { p50: number; p99: number };
  requests: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: Record<string, unknown>) => PromiseLike<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

async function mutation<T>(cookie: string, procedure: string, input: unknown): Promise<T> {
  const response = await fetch(`${BASE}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json", origin: BASE },
    body: JSON.stringify({ json: input }),
  });
  if (!response.ok)
    throw new Error(`${procedure}: ${response.status} ${(await response.text()).slice(0, 300)}`);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

type Status = "queued" | "running" | "succeeded" | "failed" | "cancelled";
const finished = (status: Status | undefined) =>
  status === "succeeded" || status === "failed" || status === "cancelled";

/** Keeps one training run and one batch scoring active; counts how each ended. */
function backgroundJobs(cookie: string, datasetId: number, versionId: number) {
  const ended = { training: [] as Status[], batch: [] as Status[] };
  let runId: number | undefined;
  let batchId: number | undefined;
  const file = readFileSync(path.join(root, "data", "telco-sample.csv"));
  async function startTraining() {
    const run = await mutation<{ id?: number; runId?: number }>(cookie, "training.start", {
      datasetVersionId: versionId,
    });
    runId = run.runId ?? run.id;
  }
  async function startBatch() {
    const upload = await fetch(`${BASE}/api/score-batches?datasetId=${datasetId}&name=soak.csv`, {
      method: "POST",
      headers: { cookie, "content-type": "text/csv", origin: BASE },
      body: file,
    });
    if (!upload.ok) throw new Error(`batch upload: ${upload.status} ${(await upload.text()).slice(0, 300)}`);
    const { uploadId } = (await upload.json()) as { uploadId: string };
    const batch = await mutation<{ id?: number; batchId?: number }>(cookie, "batchScoring.start", {
      uploadId,
    });
    batchId = batch.batchId ?? batch.id;
  }
  async function poll() {
    if (runId !== undefined) {
      const run = await trpc<{ status: Status }>(BASE, cookie, "training.get", { runId });
      if (finished(run.status)) {
        ended.training.push(run.status);
        runId = undefined;
      }
    }
    if (batchId !== undefined) {
      const list = await trpc<{ id: number; status: Status }[]>(BASE, cookie, "batchScoring.list", {});
      const status = list.find((b) => b.id === batchId)?.status;
      if (finished(status)) {
        ended.batch.push(status as Status);
        batchId = undefined;
      }
    }
  }
  return {
    ended,
    /** Starts whichever of the two is not running. */
    async tick(keepGoing: boolean) {
      await poll();
      if (keepGoing && runId === undefined) await startTraining();
      if (keepGoing && batchId === undefined) await startBatch();
    },
    active: () => ({ training: runId !== undefined, batch: batchId !== undefined }),
  };
}

async function main() {
  ensureBuild(DIST_DIR, { rebuild: values.rebuild, quiet: values.json, log });
  const kind: Kind =
    values.db === "pglite" || values.db === "postgres"
      ? values.db
      : process.env.DATABASE_URL
        ? "postgres"
        : "pglite";
  if (kind === "postgres" && !process.env.DATABASE_URL) throw new Error("--db postgres needs DATABASE_URL");
  const target = await prepareDatabase(kind, {
    name: `bench-soak-${kind}`,
    admin: ADMIN,
    distDir: DIST_DIR,
    quiet: values.json,
    log,
  });
  log(`${kind}: starting ${target.workers} server process(es) on ${BASE}…`);
  const server = startServer(target, PORT);
  const rss: { minute: number; mb: number }[] = [];
  try {
    await waitFor(
      "the server",
      180_000,
      async () => (await fetch(`${BASE}/api/health`)).ok,
      () => server.exitCode === null,
    );
    const sessions: string[] = [];
    for (let i = 0; i < 8; i++) sessions.push(await signIn(BASE, ADMIN));
    const cookie = sessions[0];
    const datasets = await trpc<{ id: number; latest: { id: number } | null }[]>(
      BASE,
      cookie,
      "datasets.list",
      undefined,
    );
    const dataset = datasets.find((d) => d.latest);
    if (!dataset?.latest) throw new Error("the seeded dataset is missing");
    const list = await trpc<{ rows: { id: number }[] }>(BASE, cookie, "customers.list", {
      datasetId: dataset.id,
    });
    const form = await trpc<{ defaults: [string, string | number][] }>(BASE, cookie, "predictions.form", {
      datasetId: dataset.id,
    });
    const pages = [
      "/dashboard",
      "/dashboard",
      "/customers",
      "/customers?page=2",
      "/customers?level=high",
      `/customers/${list.rows[0]?.id ?? 1}`,
      "/models",
      `/analytics?dataset=${dataset.id}`,
      trpcUrl("predictions.predict", { datasetId: dataset.id, customer: form.defaults }),
    ];
    for (const page of pages) await (await fetch(`${BASE}${page}`, { headers: { cookie } })).text();

    const jobs = backgroundJobs(cookie, dataset.id, dataset.latest.id);
    const startedAt = Date.now();
    const endsAt = startedAt + MINUTES * 60_000;
    rss.push({ minute: 0, mb: serverRssMb(server.pid) });
    log(`start: RSS ${rss[0].mb} MB; ${MINUTES} min at ${RATE} requests/s over ${CONNECTIONS} connections`);
    await jobs.tick(true);
    let jobErrors = 0;
    const jobLoop = setInterval(() => {
      jobs.tick(Date.now() < endsAt - 30_000).catch((error) => {
        jobErrors++;
        log(`job control failed: ${(error as Error).message}`);
      });
    }, 5_000);
    const rssLoop = setInterval(() => {
      const minute = Math.round((Date.now() - startedAt) / 60_000);
      rss.push({ minute, mb: serverRssMb(server.pid) });
      log(
        `minute ${minute}: RSS ${rss.at(-1)?.mb} MB; active ${JSON.stringify(jobs.active())}; ended ${JSON.stringify(jobs.ended)}`,
      );
    }, 60_000);
    let next = 0;
    const result = await autocannon({
      url: BASE,
      connections: CONNECTIONS,
      overallRate: RATE,
      duration: MINUTES * 60,
      timeout: 10,
      requests: [
        {
          method: "GET",
          setupRequest(request: Record<string, unknown>, context: Record<string, unknown>) {
            context.cookie ??= sessions[next++ % sessions.length];
            const path = pages[Math.floor(Math.random() * pages.length)];
            return { ...request, path, headers: { cookie: context.cookie as string } };
          },
        },
      ],
    });
    clearInterval(jobLoop);
    clearInterval(rssLoop);
    const end = serverRssMb(server.pid);
    rss.push({ minute: MINUTES, mb: end });
    // Let the last jobs finish (the loop stopped starting new ones 30 s before the end).
    await waitFor("the background jobs", 300_000, async () => {
      await jobs.tick(false);
      const active = jobs.active();
      return !active.training && !active.batch;
    }).catch(() => log("a background job was still running 5 minutes after the end"));
    // autocannon counts timeouts among the errors (`timeouts` is the part of them that timed out).
    const failed = result.errors + result.non2xx;
    const settled = serverRssMb(server.pid);
    const report = {
      kind,
      minutes: MINUTES,
      rate: RATE,
      requests: result.requests.total,
      failedRequests: failed,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      p50: result.latency.p50,
      p99: result.latency.p99,
      rssStartMb: rss[0].mb,
      rssEndMb: end,
      rssAfterJobsMb: settled,
      rss,
      trainingRuns: jobs.ended.training,
      batchRuns: jobs.ended.batch,
      jobControlErrors: jobErrors,
    };
    if (values.json) console.log(JSON.stringify(report));
    else {
      log(
        `${kind}: ${report.requests} requests in ${MINUTES} min, failed ${failed} (connection errors ${result.errors}, of which timeouts ${result.timeouts}; non-200 ${result.non2xx}), p50 ${report.p50} ms, p99 ${report.p99} ms`,
      );
      log(
        `RSS start ${report.rssStartMb} MB, end ${report.rssEndMb} MB, after the last jobs ended ${settled} MB (server processes together)`,
      );
      log(
        `training runs ended: ${JSON.stringify(jobs.ended.training)}; batch scorings ended: ${JSON.stringify(jobs.ended.batch)}`,
      );
    }
    if (failed > 0 || jobErrors > 0) process.exitCode = 1;
  } finally {
    await stopServer(server);
  }
}

main().catch((error) => {
  console.error("[bench:soak] failed:", error);
  process.exit(1);
});
