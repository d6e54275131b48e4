/**
 * GET /analytics/export?dataset=<id>&table=segments|retention|trend&… — an analytics table as CSV
 * (any signed-in user; viewers read everything). The same parameters as the page: `col` (one or
 * two), `bins`, `duration`, `by`. 401 without a session, 400 for a column the dataset cannot be
 * grouped by, 404 for an unknown dataset.
 */
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { getDb } from "@/server/db/client";
import { errorResponse, sessionUser } from "@/server/http/route-helpers";
import {
  analyseRetention,
  analyticsFileName,
  exploreSegments,
  resolveAnalyticsScope,
  retentionCsv,
  riskTrend,
  riskTrendCsv,
  segmentsCsv,
} from "@/server/services/analytics";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request): Promise<Response> {
  const db = await getDb();
  const user = await sessionUser(db);
  if (!user) return errorResponse(401, "UNAUTHORIZED", "Sign in to export analytics.");
  const params = new URL(request.url).searchParams;
  const datasetId = /^[1-9][0-9]{0,8}$/.test(params.get("dataset") ?? "")
    ? Number(params.get("dataset"))
    : null;
  if (datasetId === null) return errorResponse(400, "BAD_REQUEST", "Choose a dataset (?dataset=<id>).");
  const table = params.get("table");
  try {
    const scope = await resolveAnalyticsScope(db, datasetId);
    let body: string;
    let parts: string[] = [];
    if (table === "segments") {
      const columns = params.getAll("col");
      const bins = params.has("bins") ? Number(params.get("bins")) : undefined;
      body = segmentsCsv(await exploreSegments(db, { datasetId, columns, bins }));
      parts = columns;
    } else if (table === "retention") {
      const durationColumn = params.get("duration") ?? undefined;
      const segmentColumn = params.get("by") ?? undefined;
      body = retentionCsv(await analyseRetention(db, { datasetId, durationColumn, segmentColumn }));
      parts = segmentColumn ? [segmentColumn] : [];
    } else if (table === "trend") {
      body = riskTrendCsv(await riskTrend(db, { datasetId }));
    } else {
      return errorResponse(400, "BAD_REQUEST", "Choose a table: segments, retention or trend.");
    }
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${analyticsFileName(scope.dataset.name, table, parts)}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND")
      return errorResponse(404, "NOT_FOUND", error.message);
    if (error instanceof TRPCError && error.code === "BAD_REQUEST")
      return errorResponse(400, "BAD_REQUEST", error.message);
    if (error instanceof ZodError) return errorResponse(400, "BAD_REQUEST", "Invalid export parameters.");
    throw error;
  }
}
