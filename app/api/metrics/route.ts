/**
 * GET /api/metrics — Prometheus text format for an API key with the `metrics:read` scope
 * (server/metrics/endpoint.ts). Each server process answers with its own counters.
 */
import { getDb } from "@/server/db/client";
import { answerMetrics } from "@/server/metrics/endpoint";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request): Promise<Response> {
  return answerMetrics(await getDb(), request.headers.get("authorization"));
}
