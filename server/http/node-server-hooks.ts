/**
 * What the Node server (scripts/serve.mjs, behind `npm start`) asks of the app. serve.mjs is plain
 * JavaScript outside the Next.js bundles, so instrumentation.ts installs these hooks on globalThis
 * when the server starts, and serve.mjs finds them there after `app.prepare()`.
 *
 * The REST predict API is answered here, before Next.js sees the request: an App Router route
 * handler costs the one Node thread several times the prediction itself per call before any of our
 * code runs (request wrapping, AsyncLocalStorage bookkeeping, routing; measured in BENCHMARKS.md,
 * "REST predict API"). The route handlers in app/api stay for `next start` and Lambda, on the
 * same service.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { getDb } from "../db/client";
import { type RouteLabeler, routeLabelerForBuild } from "../metrics/routes";
import { endpointOf, flushAllRequestLogs } from "../services/rest-api";
import { createRequestObserver, type RequestObserver } from "./observe";
import { handleNodePredict } from "./predict-adapters";

export type NodeHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface NodeServerHooks {
  /** The handler that answers this request here, or null to let Next.js answer it. */
  route(request: IncomingMessage): NodeHandler | null;
  /** Called first for every request: request id, latency and the request log (./observe.ts). */
  observe?: RequestObserver;
  /** Writes what is buffered and stops background work; the server awaits it before exiting. */
  shutdown(): Promise<void>;
}

export const NODE_SERVER_HOOKS_KEY = Symbol.for("churnguard.nodeServerHooks");

const PREDICT_PATHS = new Set(["/api/v1/predict", "/api/ml/predict"]);

/** POST to a predict path, with or without a trailing slash or a query string. */
export function isPredictCall(method: string | undefined, url: string | undefined): boolean {
  return method === "POST" && url !== undefined && PREDICT_PATHS.has(endpointOf(url));
}

const predict: NodeHandler = async (request, response) => handleNodePredict(request, response, await getDb());

export function createNodeServerHooks(
  options: { onShutdown?: () => Promise<void>; labelRoute?: RouteLabeler } = {},
): NodeServerHooks {
  const labelRoute =
    options.labelRoute ??
    routeLabelerForBuild(path.join(process.cwd(), process.env.NEXT_DIST_DIR || ".next"));
  return {
    observe: createRequestObserver(labelRoute),
    route: (request) => (isPredictCall(request.method, request.url) ? predict : null),
    async shutdown() {
      await Promise.all([flushAllRequestLogs(), options.onShutdown?.()]);
    },
  };
}

export function installNodeServerHooks(hooks: NodeServerHooks): void {
  (globalThis as unknown as Record<symbol, unknown>)[NODE_SERVER_HOOKS_KEY] = hooks;
}
