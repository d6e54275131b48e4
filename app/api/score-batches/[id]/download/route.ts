/**
 * GET /api/score-batches/<id>/download — the scored file as CSV (any signed-in user: viewers read
 * everything). Streamed: the original rows read again from storage, each followed by risk_score,
 * risk_level, top_drivers, recommended_action and warnings. With S3 storage the file is written to
 * the bucket and the answer is 303 to a presigned URL (Lambda answers at most 6 MB).
 * 401, 404, or 409 while not finished.
 */
import { getDb } from "@/server/db/client";
import { redirectToGeneratedFile } from "@/server/http/direct-download";
import { errorResponse, sessionUser } from "@/server/http/route-helpers";
import {
  BatchNotFoundError,
  BatchStateError,
  contentDisposition,
  streamScoredCsv,
} from "@/server/services/batch-scoring";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(
  _request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const db = await getDb();
  const user = await sessionUser(db);
  if (!user) return errorResponse(401, "UNAUTHORIZED", "Sign in to download scored files.");
  const { id } = await context.params;
  const batchId = /^[1-9][0-9]{0,9}$/.test(id) ? Number(id) : null;
  if (batchId === null) return errorResponse(404, "NOT_FOUND", "No such scoring batch.");
  try {
    const csv = await streamScoredCsv(db, batchId);
    const direct = await redirectToGeneratedFile(() => csv.body, {
      contentDisposition: contentDisposition(csv.fileName),
      contentType: "text/csv; charset=utf-8",
    });
    if (direct) return direct;
    const iterator = csv.body;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await iterator.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (error) {
          console.error(`[batch-scoring] download of batch ${batchId} failed`, error);
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return(undefined);
      },
    });
    return new Response(stream, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": contentDisposition(csv.fileName),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    if (error instanceof BatchNotFoundError) return errorResponse(404, "NOT_FOUND", error.message);
    if (error instanceof BatchStateError) return errorResponse(409, "NOT_READY", error.message);
    throw error;
  }
}
