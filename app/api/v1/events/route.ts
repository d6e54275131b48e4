/**
 * POST /api/v1/events — live customer events (API key with the `events:write` scope). The work is
 * in server/services/events (validation, one transaction per call, rescoring, realtime push).
 */
import { getDb } from "@/server/db/client";
import { chunksOf } from "@/server/http/route-helpers";
import { answerEventsCall } from "@/server/services/events/api";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  const answer = await answerEventsCall(await getDb(), {
    authorization: request.headers.get("authorization"),
    contentLength: request.headers.get("content-length"),
    body: request.body ? chunksOf(request.body) : null,
  });
  return Response.json(answer.body, { status: answer.status, headers: answer.headers });
}
