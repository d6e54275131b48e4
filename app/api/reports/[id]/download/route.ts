/**
 * GET /api/reports/<id>/download — a generated report's PDF (any signed-in user; viewers read
 * everything), streamed from local storage, or 303 to a presigned S3 URL when files are in S3. Every download is audited. 401, 404, or 409 while the report
 * is still being generated (or failed).
 */
import { TRPCError } from "@trpc/server";
import { requestIp } from "@/server/auth/request-ip";
import { getDb } from "@/server/db/client";
import { redirectToStoredFile } from "@/server/http/direct-download";
import { errorResponse, sessionUser } from "@/server/http/route-helpers";
import { openReportDownload, ReportNotReadyError } from "@/server/services/reports";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const db = await getDb();
  const user = await sessionUser(db);
  if (!user) return errorResponse(401, "UNAUTHORIZED", "Sign in to download reports.");
  const { id } = await context.params;
  const reportId = /^[1-9][0-9]{0,8}$/.test(id) ? Number(id) : null;
  if (reportId === null) return errorResponse(404, "NOT_FOUND", "No such report.");
  const ip = requestIp(request.headers);
  try {
    const file = await openReportDownload(db, { id: user.id, label: user.email, ip }, reportId);
    const direct = await redirectToStoredFile(file.storageKey, {
      contentDisposition: `attachment; filename="${file.fileName}"`,
      contentType: "application/pdf",
    });
    if (direct) return direct;
    const iterator = file.body[Symbol.asyncIterator]();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await iterator.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (error) {
          console.error(`[reports] download of report ${reportId} failed`, error);
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return?.(undefined);
      },
    });
    return new Response(stream, {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="${file.fileName}"`,
        ...(file.sizeBytes ? { "Content-Length": String(file.sizeBytes) } : {}),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND")
      return errorResponse(404, "NOT_FOUND", error.message);
    if (error instanceof ReportNotReadyError) return errorResponse(409, "NOT_READY", error.message);
    throw error;
  }
}
