/**
 * POST /api/ml/predict/ — the path earlier clients of the platform call; the same handler as
 * POST /api/v1/predict. Both `/api/ml/predict` and `/api/ml/predict/` answer directly, not with a
 * 308 that clients which do not follow redirects for a POST never get past: see
 * `skipTrailingSlashRedirect` and the rewrite in next.config.mjs.
 */
import { getDb } from "@/server/db/client";
import { handlePredictRequest } from "@/server/http/predict-adapters";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  return handlePredictRequest(request, await getDb());
}
