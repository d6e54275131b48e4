/**
 * GET /api/metrics: the Prometheus text exposition for a key with the `metrics:read` scope.
 * Not rate limited like the predict API: a scraper calls it every few seconds by design, and a
 * wrong key costs one indexed lookup. The queue depth is read from the database at each scrape.
 */
import type { Database } from "../db/client";
import { logger } from "../log";
import { authenticateApiKey, bearerTokenOf, hasScope } from "../services/api-keys";
import { refreshQueueDepth, renderMetrics } from "./index";

const AUTH_FAILURES = {
  missing: [
    "missing_api_key",
    "Send an API key with the metrics:read scope as `Authorization: Bearer <key>`",
  ],
  malformed: ["invalid_api_key", "This is not a ChurnGuard API key (they start with cg_live_)"],
  unknown: ["invalid_api_key", "The API key is not valid"],
  revoked: ["revoked_api_key", "The API key was revoked; ask an admin for a new one"],
} as const;

function refuse(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { error: { code, message } },
    { status, headers: { "Cache-Control": "no-store", ...headers } },
  );
}

export async function answerMetrics(db: Database, authorization: string | null): Promise<Response> {
  const auth = await authenticateApiKey(db, bearerTokenOf(authorization));
  if (!auth.ok) {
    const [code, message] = AUTH_FAILURES[auth.reason];
    return refuse(401, code, message, { "WWW-Authenticate": 'Bearer realm="churnguard"' });
  }
  if (!hasScope(auth.key, "metrics:read")) {
    return refuse(403, "insufficient_scope", "This key lacks the metrics:read scope needed to read metrics");
  }
  try {
    await refreshQueueDepth(db);
  } catch (error) {
    // The rest of the metrics are still worth having when the database is the problem.
    logger("metrics").warn({ err: error }, "could not read the job queue depth");
  }
  const { contentType, body } = await renderMetrics();
  return new Response(body, {
    status: 200,
    headers: { "Content-Type": contentType, "Cache-Control": "no-store" },
  });
}
