#!/usr/bin/env node
/**
 * The production server behind `npm start` (and the end-to-end tests and `npm run bench:api`): the
 * Next.js production build served by a Node HTTP server of our own, which answers the REST predict
 * API itself and hands every other request to Next.js.
 *
 * Why not `next start`: an App Router route handler costs the single Node thread several times
 * the prediction itself per call, and the predict API is the one path machines call at volume
 * (BENCHMARKS.md, "REST API"). The app installs the handler on globalThis when Next.js runs its
 * instrumentation (server/http/node-server-hooks.ts); `next start` still works, through the route
 * handlers, and Lambda uses those.
 *
 * Several processes: with PostgreSQL (DATABASE_URL), one Node process per core (node:cluster; the
 * workers share the port, WEB_CONCURRENCY overrides the count). Each worker runs the embedded job
 * runner, whose leases in the database make every job run once; realtime events and new scores
 * generations travel between workers over PostgreSQL LISTEN/NOTIFY (server/realtime/pg-bus.ts);
 * the REST API's rate limit counts in the database (API_RATE_LIMIT_STORE=database) and the
 * sign-in throttle always does. The embedded PGlite database is one process by construction (two
 * processes writing its folder would corrupt it), so without DATABASE_URL there is one process.
 *
 *   node scripts/serve.mjs [--port 3000] [--hostname 127.0.0.1] [--workers N (default 1; npm start: per core)]
 */
import cluster from "node:cluster";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { availableParallelism } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
const HOOKS_KEY = Symbol.for("churnguard.nodeServerHooks");
const SHUTDOWN_TIMEOUT_MS = 15_000;
// The socket address for the sign-in throttle and the audit log (server/auth/peer-address.ts):
// written on every request with a per-process token, replacing any copy a client sent.
const PEER_TOKEN_KEY = Symbol.for("churnguard.peerAddressToken");
const PEER_ADDRESS_HEADER = "x-churnguard-peer";

function argument(args, names) {
  const i = args.findIndex((a) => names.includes(a));
  return i >= 0 ? args[i + 1] : undefined;
}

/** Starts serving; resolves with the listening server. */
export async function serve({ port = 3000, hostname } = {}) {
  // Next.js reads NODE_ENV when it loads; a production build is served in production mode.
  process.env.NODE_ENV = "production";
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  // A server process joins the PostgreSQL process bus (server/realtime/pg-bus.ts); scripts do not.
  process.env.CHURNGUARD_PROCESS_BUS ??= "1";
  const { default: next } = await import("next");
  const { securityHeaders } = await import(pathToFileURL(path.join(root, "next.config.mjs")).href);

  const peerToken = randomBytes(16).toString("hex");
  globalThis[PEER_TOKEN_KEY] = peerToken;
  const app = next({ dev: false, dir: root, hostname: hostname ?? "localhost", port });
  const handleWithNext = app.getRequestHandler();
  await app.prepare();
  // Installed by the app's instrumentation, which Next.js may finish after prepare() resolves;
  // until then every request goes through Next.js (the route handlers answer the same).
  const hooks = () => globalThis[HOOKS_KEY];

  const server = http.createServer((request, response) => {
    request.headers[PEER_ADDRESS_HEADER] = `${peerToken} ${request.socket.remoteAddress ?? ""}`;
    hooks()?.observe?.(request, response);
    const handler = hooks()?.route(request);
    if (!handler) return void handleWithNext(request, response);
    for (const { key, value } of securityHeaders) response.setHeader(key, value);
    handler(request, response).catch((error) => {
      console.error(`[churnguard] ${request.method} ${request.url} failed:`, error);
      if (!response.headersSent) response.writeHead(500, { "Content-Type": "application/json" });
      response.end(
        JSON.stringify({ error: { code: "internal_error", message: "Something went wrong on our side" } }),
      );
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, resolve);
  });

  // Next.js finishes starting (instrumentation: database, demo content, job runner, these hooks)
  // on its first request: make that request here, so "ready" means ready.
  const local = hostname && hostname !== "0.0.0.0" && hostname !== "::" ? hostname : "127.0.0.1";
  try {
    const health = await fetch(`http://${local.includes(":") ? `[${local}]` : local}:${port}/api/health`);
    if (!health.ok) console.warn(`[churnguard] started, but /api/health answers ${health.status}`);
  } catch (error) {
    console.warn(`[churnguard] started, but /api/health did not answer: ${error.message}`);
  }

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`[churnguard] ${signal}: finishing open requests and buffered writes…`);
    server.close();
    server.closeIdleConnections();
    const timeout = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_TIMEOUT_MS).unref());
    await Promise.race([Promise.allSettled([hooks()?.shutdown(), app.close()]), timeout]);
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void stop(signal));
  return server;
}

/** How many server processes: one without PostgreSQL, else WEB_CONCURRENCY or one per core. */
export function workerCount(env = process.env, cores = availableParallelism()) {
  if (!env.DATABASE_URL) return 1;
  const requested = Number(env.WEB_CONCURRENCY);
  return Number.isInteger(requested) && requested >= 1 ? requested : Math.max(1, cores);
}

const RESTART_DELAY_MS = 1_000;

/**
 * Serves with `workers` processes (see the header); resolves in the primary once every worker is
 * ready. One worker means this process serves itself, as before.
 */
export async function serveAll({ port = 3000, hostname, workers = workerCount() } = {}) {
  if (workers <= 1 || cluster.isWorker) {
    const server = await serve({ port, hostname });
    process.send?.({ churnguard: "ready" });
    return server;
  }
  if (!process.env.DATABASE_URL)
    throw new Error(
      "Several server processes need PostgreSQL (DATABASE_URL): the embedded database is one process's",
    );
  // Each worker counting the REST API's calls in its own memory would allow workers × the limit.
  process.env.API_RATE_LIMIT_STORE ??= "database";
  cluster.setupPrimary({
    exec: import.meta.filename,
    args: ["--worker", "--port", String(port), ...(hostname ? ["--hostname", hostname] : [])],
  });
  let stopping = false;
  const ready = new Promise((resolve, reject) => {
    let readyCount = 0;
    const fork = () => {
      const worker = cluster.fork();
      worker.on("message", (message) => {
        if (message?.churnguard === "ready" && ++readyCount === workers) resolve();
      });
      worker.on("exit", (code, signal) => {
        if (stopping) return;
        if (readyCount < workers)
          return reject(new Error(`a server process exited while starting (code ${code})`));
        console.error(
          `[churnguard] server process ${worker.process.pid} exited (${signal ?? code}); restarting it`,
        );
        setTimeout(fork, RESTART_DELAY_MS).unref();
      });
    };
    for (let i = 0; i < workers; i++) fork();
  });
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      // Each worker finishes its open requests and buffered writes (serve's own handler).
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      let left = Object.keys(cluster.workers ?? {}).length;
      if (left === 0) process.exit(0);
      cluster.on("exit", () => {
        if (--left <= 0) process.exit(0);
      });
    });
  }
  await ready;
  console.log(`[churnguard] ${workers} server processes on PostgreSQL`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const port = Number(argument(args, ["--port", "-p"]) ?? process.env.PORT ?? 3000);
  const hostname = argument(args, ["--hostname", "-H"]);
  // One process unless asked: the end-to-end tests and bench:api start this file directly.
  serveAll({ port, hostname, workers: Number(argument(args, ["--workers"]) ?? 1) })
    .then(() => {
      if (!cluster.isWorker) console.log(`[churnguard] ready on http://${hostname ?? "localhost"}:${port}`);
    })
    .catch((error) => {
      console.error("[churnguard] could not start:", error);
      process.exit(1);
    });
}
