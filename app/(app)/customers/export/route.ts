/**
 * GET /customers/export?dataset=<id>&… — the customers list as CSV, with the page's own URL
 * parameters (active or lost, levels, column filters, search, sort). Any signed-in user (viewers
 * read everything).
 * Streamed in chunks (with S3 storage: written to the bucket, then 303 to a presigned URL, since
 * Lambda answers at most 6 MB); 401 without a session, 400 for a filter column the dataset does not have,
 * 404 for an unknown dataset.
 */
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { auth } from "@/server/auth/config";
import { userOfSession } from "@/server/auth/session-user";
import { getDb } from "@/server/db/client";
import { encodeLines, redirectToGeneratedFile } from "@/server/http/direct-download";
import { exportCustomersCsv } from "@/server/services/customers";
import { parseListState } from "../list-state";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

function errorResponse(status: number, code: string, message: string) {
  return Response.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store" } });
}

export async function GET(request: Request): Promise<Response> {
  const db = await getDb();
  const user = await userOfSession(db, await auth());
  if (!user) return errorResponse(401, "UNAUTHORIZED", "Sign in to export customers.");
  const state = parseListState(new URL(request.url).searchParams);
  if (state.datasetId === undefined)
    return errorResponse(400, "BAD_REQUEST", "Choose a dataset (?dataset=<id>).");
  let csv: Awaited<ReturnType<typeof exportCustomersCsv>>;
  try {
    csv = await exportCustomersCsv(db, {
      datasetId: state.datasetId,
      status: state.status,
      sort: state.sort,
      direction: state.direction,
      levels: state.levels,
      filters: state.filters,
      search: state.search,
      searchMode: state.searchMode,
    });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "BAD_REQUEST")
      return errorResponse(400, "BAD_REQUEST", error.message);
    if (error instanceof TRPCError && error.code === "NOT_FOUND")
      return errorResponse(404, "NOT_FOUND", error.message);
    if (error instanceof ZodError) return errorResponse(400, "BAD_REQUEST", "Invalid export parameters.");
    throw error;
  }
  const direct = await redirectToGeneratedFile(() => encodeLines(csv.body), {
    contentDisposition: `attachment; filename="${csv.fileName}"`,
    contentType: "text/csv; charset=utf-8",
  });
  if (direct) return direct;
  const encoder = new TextEncoder();
  const iterator = csv.body;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        console.error(`[customers] export of dataset ${state.datasetId} failed`, error);
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
      "Content-Disposition": `attachment; filename="${csv.fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
