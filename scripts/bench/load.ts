/**
 * `npm run bench:load`: the pages under load, on a production build, with autocannon.
 *
 *  1. reuses (or builds) the production build in NEXT_DIST_DIR (default .next-bench-load);
 *  2. per database (PGlite; PostgreSQL too when DATABASE_URL is set, in a fresh database of its
 *     own): seeds the demo admin and the sample dataset trained to the end (`npm run seed`), so
 *     training never competes with the load;
 *  3. starts `scripts/serve.mjs` (one process on PGlite; one per core on PostgreSQL, as `npm start`);
 *  4. signs in a pool of real sessions once (Auth.js credentials: CSRF token, then the callback);
 *  5. raw connections (10, 50, 100, 200) against /dashboard and /customers alone: throughput and
 *     latency without think time, which is where the target is (/dashboard ≥ 300 req/s at 50
 *     connections with p99 ≤ 300 ms on PostgreSQL);
 *  6. simulated users (100, 1,000, 5,000, 10,000) with think time: each user walks the scripted
 *     mix (dashboard, customers pages, a filter, a customer, a what-if prediction through tRPC,
 *     models, analytics) and waits `--think` seconds between pages, so N users offer N / think
 *     requests per second; per step the offered and achieved rate, p50/p99 per page and errors.
 *
 *   npm run bench:load [-- --quick] [--db pglite|postgres|both] [--duration 15] [--think 30]
 *                      [--connections 10,50,100,200] [--users 100,1000,5000,10000] [--workers N] [--json]
 *
 * `--quick`: 10 and 50 connections, 100 and 1,000 users, 5 s per step (a smoke run of the harness).
 */
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import {
  ensureBuild,
  type Kind,
  prepareDatabase,
  serverCpuMs,
  signIn,
  startServer,
  stopServer,
  type Target,
  trpc,
  trpcUrl,
  waitFor,
} from "./server-harness";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    db: { type: "string" },
    duration: { type: "string" },
    think: { type: "string", default: "30" },
    connections: { type: "string" },
    users: { type: "string" },
    workers: { type: "string" },
    port: { type: "string", default: "3216" },
    json: { type: "boolean", default: false },
    rebuild: { type: "boolean", default: false },
  },
});
const quick = values.quick;
const list = (text: string) => text.split(",").map(Number).filter(Number.isFinite);
const CONNECTIONS = list(values.connections ?? (quick ? "10,50" : "10,50,100,200"));
const USERS = list(values.users ?? (quick ? "100,1000" : "100,1000,5000,10000"));
const DURATION_S = Number(values.duration ?? (quick ? 5 : 15));
const THINK_S = Number(values.think);
const PORT = Number(values.port);
const BASE = `http://127.0.0.1:${PORT}`;
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next-bench-load";
const ADMIN = { email: "bench-load@churnguard.test", password: "Bench-load-password-2026!" };
/** Sockets a user step may open: enough for the offered rate, not 10,000 sockets on 2 cores. */
const MAX_USER_SOCKETS = 256;
const SESSIONS = 16;

const log = (message: string) => {
  if (!values.json) console.log(`[bench:load] ${message}`);
};

interface AutocannonResult {
  latency: { p50: number; p99: number; average: number };
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  headers?: Record<string, string>;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (options: Record<string, unknown>) => AutocannonInstance;
const require = createRequire(import.meta.url);
const autocannon = require("autocannon") as Autocannon;

// ─── The scripted user ─────────────────────────────────────────────────────────────────────────

interface Page {
  name: string;
  path: string;
  /** Share of a user's page views (the mix); 1 when a step requests one page. */
  weight?: number;
}

async function scriptedPages(cookie: string): Promise<Page[]> {
  const datasets = await trpc<{ id: number; hasChampion: boolean }[]>(
    BASE,
    cookie,
    "dashboard.datasets",
    undefined,
  );
  const dataset = datasets.find((d) => d.hasChampion);
  if (!dataset) throw new Error("the sample dataset has no champion");
  const list = await trpc<{ rows: { id: number }[] }>(BASE, cookie, "customers.list", {
    datasetId: dataset.id,
  });
  // The form's typical customer ([column, value] pairs), as the Predict page submits it.
  const form = await trpc<{ defaults: [string, string | number][] }>(BASE, cookie, "predictions.form", {
    datasetId: dataset.id,
  });
  const predict = trpcUrl("predictions.predict", { datasetId: dataset.id, customer: form.defaults });
  const probe = await fetch(`${BASE}${predict}`, { headers: { cookie } });
  if (!probe.ok) throw new Error(`what-if prediction: ${probe.status} ${(await probe.text()).slice(0, 300)}`);
  return [
    { name: "/dashboard", path: "/dashboard", weight: 3 },
    { name: "/customers", path: "/customers", weight: 2 },
    { name: "/customers page 2", path: "/customers?page=2", weight: 1 },
    { name: "/customers high risk", path: "/customers?level=high", weight: 1 },
    { name: "/customers filter", path: "/customers?f.Contract=Month-to-month", weight: 1 },
    { name: "/customers/[id]", path: `/customers/${list.rows[0]?.id ?? 1}`, weight: 1 },
    { name: "predict what-if (tRPC)", path: predict, weight: 1 },
    { name: "/models", path: "/models", weight: 1 },
    { name: "/analytics", path: `/analytics?dataset=${dataset.id}`, weight: 1 },
  ];
}

// ─── Measuring ─────────────────────────────────────────────────────────────────────────────────

let serverPid: number | undefined;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

interface PageStats {
  count: number;
  errors: number;
  p50: number;
  p99: number;
}

interface StepResult {
  step: string;
  connections: number;
  offeredPerSecond: number | null;
  achievedPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  pages: Record<string, PageStats>;
  /**
   * CPU time the server processes (not PostgreSQL's) spent per answered request: what the
   * request costs, independent of how many other programs share the cores during the run.
   */
  serverCpuMsPerRequest: number | null;
}

/**
 * One autocannon run: every request is a page drawn from `pages` by weight (so each connection is
 * a user wandering the mix, not a fixed walk that short steps never finish), with a session
 * cookie per connection. Latency is attributed to the page answered: the request's onResponse
 * runs synchronously right before autocannon's response event.
 */
async function measure(
  step: string,
  pages: Page[],
  sessions: string[],
  connections: number,
  overallRate?: number,
): Promise<StepResult> {
  const latencies = new Map<string, number[]>(pages.map((p) => [p.name, []]));
  const failures = new Map<string, number>(pages.map((p) => [p.name, 0]));
  const totalWeight = pages.reduce((sum, p) => sum + (p.weight ?? 1), 0);
  const draw = () => {
    let x = Math.random() * totalWeight;
    for (const page of pages) {
      x -= page.weight ?? 1;
      if (x <= 0) return page;
    }
    return pages[pages.length - 1];
  };
  let answered = "";
  let next = 0;
  const requests: AutocannonRequest[] = [
    {
      method: "GET",
      setupRequest(request, context) {
        context.cookie ??= sessions[next++ % sessions.length];
        const page = draw();
        context.page = page.name;
        return {
          ...request,
          path: page.path,
          headers: { ...request.headers, cookie: context.cookie as string },
        };
      },
      onResponse(status, _body, context) {
        answered = context.page as string;
        // A redirect to /sign-in would be a lost session: count anything but 200 as an error.
        if (status !== 200) failures.set(answered, (failures.get(answered) ?? 0) + 1);
      },
    },
  ];
  const cpuBefore = serverCpuMs(serverPid);
  const instance = autocannon({
    url: BASE,
    connections,
    duration: DURATION_S,
    requests,
    timeout: 10,
    ...(overallRate ? { overallRate } : {}),
  });
  instance.on("response", (_client, _status, _bytes, ms) => latencies.get(answered)?.push(ms));
  const result = await instance;
  const cpuMs = serverCpuMs(serverPid) - cpuBefore;
  const pageStats: Record<string, PageStats> = {};
  for (const page of pages) {
    const sorted = (latencies.get(page.name) ?? []).sort((a, b) => a - b);
    pageStats[page.name] = {
      count: sorted.length,
      errors: failures.get(page.name) ?? 0,
      p50: Math.round(percentile(sorted, 0.5)),
      p99: Math.round(percentile(sorted, 0.99)),
    };
  }
  return {
    step,
    connections,
    offeredPerSecond: overallRate ?? null,
    achievedPerSecond: Math.round(result.requests.total / DURATION_S),
    p50: result.latency.p50,
    p99: result.latency.p99,
    // autocannon counts timeouts among the errors already.
    errors: result.errors,
    non2xx: result.non2xx,
    pages: pageStats,
    serverCpuMsPerRequest:
      result.requests.total > 0 ? Math.round((cpuMs / result.requests.total) * 10) / 10 : null,
  };
}

function printStep(r: StepResult): void {
  const offered = r.offeredPerSecond === null ? "" : ` offered ${r.offeredPerSecond.toFixed(0)}/s,`;
  log(
    `  ${r.step}: ${r.connections} conn,${offered} ${r.achievedPerSecond} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors}, non-2xx ${r.non2xx}, server CPU ${r.serverCpuMsPerRequest} ms/request`,
  );
  if (Object.keys(r.pages).length > 1)
    for (const [name, s] of Object.entries(r.pages))
      log(`      ${name.padEnd(24)} n=${s.count} p50 ${s.p50} ms p99 ${s.p99} ms errors ${s.errors}`);
}

async function benchTarget(target: Target): Promise<StepResult[]> {
  log(`${target.kind}: starting ${target.workers} server process(es) on ${BASE}…`);
  const server = startServer(target, PORT);
  serverPid = server.pid;
  const results: StepResult[] = [];
  try {
    await waitFor(
      "the server",
      180_000,
      async () => (await fetch(`${BASE}/api/health`)).ok,
      () => server.exitCode === null,
    );
    const sessions: string[] = [];
    for (let i = 0; i < SESSIONS; i++) sessions.push(await signIn(BASE, ADMIN));
    log(`${target.kind}: ${sessions.length} sessions signed in`);
    const pages = await scriptedPages(sessions[0]);
    // Warm-up: every page once per process (first renders compile and fill the caches).
    await measure("warm-up", pages, sessions, Math.max(2, target.workers * 2));

    for (const path of ["/dashboard", "/customers"]) {
      const page = pages.find((p) => p.name === path) as Page;
      for (const connections of CONNECTIONS) {
        const r = await measure(`${path} raw`, [page], sessions, connections);
        printStep(r);
        results.push(r);
      }
    }
    for (const users of USERS) {
      const rate = users / THINK_S;
      const connections = Math.min(users, MAX_USER_SOCKETS);
      const r = await measure(`${users} users (think ${THINK_S} s)`, pages, sessions, connections, rate);
      printStep(r);
      results.push(r);
    }
  } finally {
    await stopServer(server);
  }
  return results;
}

async function main() {
  ensureBuild(DIST_DIR, { rebuild: values.rebuild, quiet: values.json, log });
  const kinds: Kind[] =
    values.db === "pglite" || values.db === "postgres"
      ? [values.db]
      : process.env.DATABASE_URL
        ? ["pglite", "postgres"]
        : ["pglite"];
  if (kinds.includes("postgres") && !process.env.DATABASE_URL)
    throw new Error("--db postgres needs DATABASE_URL");
  const all: Record<string, StepResult[]> = {};
  for (const kind of kinds)
    all[kind] = await benchTarget(
      await prepareDatabase(kind, {
        name: `bench-load-${kind}`,
        database: "churnguard_bench_load",
        admin: ADMIN,
        distDir: DIST_DIR,
        workers: values.workers ? Number(values.workers) : undefined,
        quiet: values.json,
        log,
      }),
    );
  if (values.json)
    console.log(JSON.stringify({ durationSeconds: DURATION_S, thinkSeconds: THINK_S, results: all }));
  else
    for (const [kind, results] of Object.entries(all)) {
      const saturated = results.find(
        (r) => r.offeredPerSecond !== null && r.achievedPerSecond < r.offeredPerSecond * 0.9,
      );
      log(
        `${kind}: ${saturated ? `saturates at ${saturated.step} (offered ${saturated.offeredPerSecond?.toFixed(0)}/s, served ${saturated.achievedPerSecond}/s)` : "kept up with every user step"}`,
      );
    }
}

main().catch((error) => {
  console.error("[bench:load] failed:", error);
  process.exit(1);
});
