/**
 * `npm run bench:api`: load test of the REST predict endpoint on a production build.
 *
 *  1. builds the app into NEXT_DIST_DIR (default .next-bench) unless a build is there (--rebuild forces one);
 *  2. creates a fresh embedded data folder, imports and trains the sample dataset there to the end
 *     (`npm run seed -- --train-models`: the same pipeline the server runs on its first start, but
 *     finished before the measurement, so training never competes with the load) and creates an API
 *     key through the api-keys service (before the server opens the database: PGlite is one process
 *     at a time);
 *  3. starts the production server (`scripts/serve.mjs`, what `npm start` runs; `--next-start` for
 *     plain `next start`, where the call goes through the App Router route handler) on the embedded
 *     defaults with the rate limit lifted, and waits until the sample champion answers;
 *  4. drives POST /api/v1/predict with autocannon (default 50 connections for 20 s, after a 3 s warm-up),
 *     cycling through real customers of the sample file;
 *  5. stops the server (the call log is flushed on SIGTERM) and reads the server-side latency of the
 *     logged calls from api_requests.
 *
 *   npm run bench:api -- [--connections 50] [--duration 20] [--port 3210] [--rebuild] [--next-start] [--json]
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const connections = Number(option("connections", "50"));
const durationSeconds = Number(option("duration", "20"));
const port = Number(option("port", "3210"));
const asJson = args.includes("--json");
const distDir = process.env.NEXT_DIST_DIR || ".next-bench";
const dataDir = path.join(root, ".data", "bench-api");
const base = `http://127.0.0.1:${port}`;

const log = (message: string) => {
  if (!asJson) console.log(`[bench:api] ${message}`);
};

interface AutocannonResult {
  latency: { p50: number; p90: number; p99: number; average: number; max: number };
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

function ensureBuild(): void {
  if (existsSync(path.join(root, distDir, "BUILD_ID")) && !args.includes("--rebuild")) {
    log(`reusing the production build in ${distDir} (--rebuild to build again)`);
    return;
  }
  log(`building into ${distDir}…`);
  const result = spawnSync("npx", ["next", "build"], {
    cwd: root,
    stdio: asJson ? "ignore" : "inherit",
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
}

/** A fresh data folder holding only an API key; the server seeds the rest on start. */
async function prepareDataDir(): Promise<string> {
  rmSync(dataDir, { recursive: true, force: true });
  process.env.DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  log("importing and training the sample dataset (about a minute)…");
  const seeded = spawnSync("npx", ["tsx", "scripts/seed.ts", "--train-models"], {
    cwd: root,
    stdio: asJson ? "ignore" : "inherit",
    env: { ...process.env, DATA_DIR: dataDir },
  });
  if (seeded.status !== 0) throw new Error("seeding the sample dataset failed");
  const { closeDatabase, getDatabase } = await import("../server/db/client");
  const { createApiKey } = await import("../server/services/api-keys");
  const handle = await getDatabase();
  const key = await createApiKey(
    handle.db,
    { id: null, label: "bench:api" },
    { name: "bench:api", scopes: ["predict"] },
  );
  await closeDatabase();
  rmSync(path.join(dataDir, "pglite.pid"), { force: true });
  return key.secret;
}

function startServer(): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATA_DIR: dataDir,
    NEXT_DIST_DIR: distDir,
    NEXT_TELEMETRY_DISABLED: "1",
    SEED_DEMO: "always",
    // The limiter still runs on every call (its cost is measured); it just never refuses.
    API_RATE_LIMIT_PER_MINUTE: "100000000",
  };
  delete env.DATABASE_URL;
  delete env.AUTH_SECRET;
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const command = args.includes("--next-start")
    ? [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"]
    : [path.join(root, "scripts", "serve.mjs"), "-p", String(port), "-H", "127.0.0.1"];
  const server = spawn(process.execPath, command, {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (chunk: Buffer) => {
    if (process.env.BENCH_VERBOSE) process.stdout.write(chunk);
  });
  server.stderr?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  return server;
}

/** Real customers from the sample file (without the identifier and the target). */
function sampleCustomers(count: number): Record<string, string | number>[] {
  const [header, ...lines] = readFileSync(path.join(root, "data", "telco-sample.csv"), "utf8")
    .trim()
    .split("\n");
  const columns = header.split(",");
  return lines.slice(0, count).map((line) => {
    const cells = line.split(",");
    const record: Record<string, string | number> = {};
    columns.forEach((column, i) => {
      if (column === "customerID" || column === "Churn") return;
      const numeric = ["tenure", "MonthlyCharges", "TotalCharges"].includes(column);
      record[column] =
        numeric && cells[i] !== "" && Number.isFinite(Number(cells[i])) ? Number(cells[i]) : cells[i];
    });
    return record;
  });
}

/** CPU time used so far by a process (user + system), or null where /proc is not there. */
function processCpuMs(pid: number | undefined): number | null {
  if (!pid || !existsSync(`/proc/${pid}/stat`)) return null;
  // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticksPerSecond = 100; // USER_HZ, 100 on every Linux Node.js supports
  return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

async function serverSideLatency(): Promise<{ logged: number; p50Ms: number; p99Ms: number } | null> {
  const { closeDatabase, getDatabase } = await import("../server/db/client");
  const { sql } = await import("drizzle-orm");
  const handle = await getDatabase();
  try {
    const result = await handle.db.execute(
      sql`select count(*)::int as logged,
        percentile_cont(0.5) within group (order by latency_ms) as p50,
        percentile_cont(0.99) within group (order by latency_ms) as p99
        from api_requests where status = 200`,
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
      logged: number;
      p50: number;
      p99: number;
    }[];
    const row = rows[0];
    return row ? { logged: row.logged, p50Ms: Number(row.p50), p99Ms: Number(row.p99) } : null;
  } finally {
    await closeDatabase();
  }
}

async function main() {
  ensureBuild();
  const secret = await prepareDataDir();
  log(`starting the server on ${base} with a fresh data folder (${path.relative(root, dataDir)})…`);
  const server = startServer();
  const stop = () => server.kill("SIGTERM");
  process.on("SIGINT", stop);
  try {
    await waitFor("the server", 120_000, async () => (await fetch(`${base}/api/health`)).ok);
    const customers = sampleCustomers(50);
    const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
    const bodyOf = (customer: Record<string, string | number>) =>
      JSON.stringify({ customer_data: customer, dataset_id: 1 });
    log("waiting for the sample dataset's champion…");
    const started = Date.now();
    await waitFor("the sample champion", 600_000, async () => {
      const response = await fetch(`${base}/api/v1/predict`, {
        method: "POST",
        headers,
        body: bodyOf(customers[0]),
      });
      return response.status === 200;
    });
    log(`champion ready after ${Math.round((Date.now() - started) / 1000)} s`);

    const requests = customers.map((customer) => ({
      method: "POST",
      path: "/api/v1/predict",
      headers,
      body: bodyOf(customer),
    }));
    log("warming up for 3 s…");
    await autocannon({ url: base, connections, duration: 3, requests });
    log(`measuring: ${connections} connections for ${durationSeconds} s…`);
    const cpuBefore = processCpuMs(server.pid);
    const result = await autocannon({ url: base, connections, duration: durationSeconds, requests });
    const cpuAfter = processCpuMs(server.pid);
    const summary = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.versions.node}`,
      server: args.includes("--next-start") ? "next start (route handler)" : "scripts/serve.mjs (npm start)",
      connections,
      durationSeconds,
      requests: result.requests.total,
      requestsPerSecond: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p90Ms: result.latency.p90,
      p99Ms: result.latency.p99,
      maxMs: result.latency.max,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      /** The server process's CPU time (user + system) per answered call, from /proc (Linux only). */
      serverCpuMsPerCall:
        cpuBefore !== null && cpuAfter !== null && result.requests.total > 0
          ? (cpuAfter - cpuBefore) / result.requests.total
          : null,
      serverSide: null as Awaited<ReturnType<typeof serverSideLatency>>,
    };
    stop();
    await new Promise((resolve) => server.once("exit", resolve));
    summary.serverSide = await serverSideLatency();
    if (asJson) console.log(JSON.stringify(summary, null, 2));
    else {
      console.log(`\nPOST /api/v1/predict, one customer per call, served by ${summary.server}`);
      console.table({
        "requests/s": summary.requestsPerSecond,
        "p50 latency (ms)": summary.p50Ms,
        "p90 latency (ms)": summary.p90Ms,
        "p99 latency (ms)": summary.p99Ms,
        "max latency (ms)": summary.maxMs,
        requests: summary.requests,
        errors: summary.errors,
        timeouts: summary.timeouts,
        "non-2xx": summary.non2xx,
        "server CPU per call (ms)":
          summary.serverCpuMsPerCall === null ? "n/a" : Number(summary.serverCpuMsPerCall.toFixed(3)),
        "logged calls (200)": summary.serverSide?.logged ?? "n/a",
        "server-side p50 (ms)": summary.serverSide ? Number(summary.serverSide.p50Ms.toFixed(2)) : "n/a",
        "server-side p99 (ms)": summary.serverSide ? Number(summary.serverSide.p99Ms.toFixed(2)) : "n/a",
      });
      console.log(`machine: ${summary.machine}`);
      const ok =
        summary.p99Ms <= 50 && summary.requestsPerSecond >= 500 && summary.errors + summary.non2xx === 0;
      console.log(
        ok
          ? "targets met (p99 ≤ 50 ms, ≥ 500 req/s, no errors)"
          : "targets NOT met (p99 ≤ 50 ms, ≥ 500 req/s, no errors)",
      );
    }
  } finally {
    if (server.exitCode === null) {
      stop();
      await new Promise((resolve) => server.once("exit", resolve));
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
