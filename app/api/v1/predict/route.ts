/**
 * POST /api/v1/predict — score one customer (`customer_data`) or a batch (`customers`) with a
 * dataset's champion, authenticated by `Authorization: Bearer <api key>`. Described by
 * GET /api/openapi.json; the handler lives in server/services/rest-api (transports: server/http/predict-adapters.ts).
 */
import { getDb } from "@/server/db/client";
import { handlePredictRequest } from "@/server/http/predict-adapters";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  return handlePredictRequest(request, await getDb());
}
