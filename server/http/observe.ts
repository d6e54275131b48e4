/**
 * Request ids, latency metrics and request log lines, at the one place each request passes.
 *
 * Under `npm start` that place is the Node server (scripts/serve.mjs calls the hook built here for
 * every request, pages and the REST fast path included), which labels requests with the build's
 * route patterns. Under `next start` and on Lambda there is no such place, so route handlers
 * wrapped with `observedRoute` measure themselves; they skip the metric when the Node server
 * already counts the request, so nothing is counted twice.
 *
 * The request id is the client's `X-Request-Id` when it looks like one, else a new uuid; it is
 * put on the request (so route handlers and tRPC log with it) and sent back in the answer.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { logger, requestIdFrom, withLogContext } from "../log";
import { observeHttpRequest } from "../metrics";
import type { RouteLabeler } from "../metrics/routes";
import { processWide } from "../process-wide";

/** Answers slower than this are logged at info level even when they succeed. */
const SLOW_REQUEST_MS = 1_000;

const nodeServer = processWide("http.nodeServerObserves", () => ({ observes: false }));

function logAnswer(fields: {
  requestId: string;
  method: string;
  route: string;
  status: number;
  durationMs: number;
}): void {
  const log = logger("http");
  const line = { ...fields, durationMs: Math.round(fields.durationMs * 10) / 10 };
  if (fields.status >= 500) log.warn(line, "request failed");
  else if (fields.durationMs >= SLOW_REQUEST_MS) log.info(line, "slow request");
  // Every answer at debug only: at thousands of predict calls a second, a line each costs more
  // than the call.
  else log.debug(line, "request");
}

export type RequestObserver = (request: IncomingMessage, response: ServerResponse) => void;

/** For the Node server: stamps the request id and measures the answer once it is sent (or dropped). */
export function createRequestObserver(labelRoute: RouteLabeler): RequestObserver {
  return (request, response) => {
    nodeServer.observes = true;
    const started = performance.now();
    const requestId = requestIdFrom(request.headers);
    request.headers["x-request-id"] = requestId;
    response.setHeader("X-Request-Id", requestId);
    response.once("close", () => {
      const durationMs = performance.now() - started;
      // 499 (nginx's "client closed request"): the client left before the answer was complete.
      const status = response.writableFinished ? response.statusCode : 499;
      const method = request.method ?? "GET";
      const route = labelRoute(pathOf(request.url));
      observeHttpRequest({ method, route, status, seconds: durationMs / 1000 });
      logAnswer({ requestId, method, route, status, durationMs });
    });
  };
}

function pathOf(url: string | undefined): string {
  if (!url) return "/";
  const q = url.indexOf("?");
  return q >= 0 ? url.slice(0, q) : url;
}

/**
 * A route handler with a request id and its lines and latency recorded under `route` (the
 * handler's pattern, e.g. "/api/trpc/[trpc]").
 */
export function observedRoute(
  route: string,
  handler: (request: Request, requestId: string) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const started = performance.now();
    const requestId = requestIdFrom(request.headers);
    let status = 500;
    try {
      const response = await withLogContext({ requestId }, () => handler(request, requestId));
      status = response.status;
      if (!response.headers.has("X-Request-Id")) {
        try {
          response.headers.set("X-Request-Id", requestId);
        } catch {
          // Immutable headers (a Response.redirect): the id is in the log lines all the same.
        }
      }
      return response;
    } finally {
      if (!nodeServer.observes) {
        const durationMs = performance.now() - started;
        observeHttpRequest({ method: request.method, route, status, seconds: durationMs / 1000 });
        logAnswer({ requestId, method: request.method, route, status, durationMs });
      }
    }
  };
}

/** Tests: act as `next start` / Lambda (false) or `npm start` (true). */
export function setNodeServerObserves(value: boolean): void {
  nodeServer.observes = value;
}
