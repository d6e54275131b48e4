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
 *   node scripts/serve.mjs [--port 3000] [--hostname 127.0.0.1]
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const port = Number(argument(args, ["--port", "-p"]) ?? process.env.PORT ?? 3000);
  const hostname = argument(args, ["--hostname", "-H"]);
  serve({ port, hostname })
    .then(() => console.log(`[churnguard] ready on http://${hostname ?? "localhost"}:${port}`))
    .catch((error) => {
      console.error("[churnguard] could not start:", error);
      process.exit(1);
    });
}
