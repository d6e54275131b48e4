/**
 * GET /campaigns/<id>/export — a saved plan's frozen target list as CSV (any signed-in user;
 * viewers read everything), streamed in chunks. 401 without a session, 404 for an unknown plan.
 */
import { TRPCError } from "@trpc/server";
import { getDb } from "@/server/db/client";
import { errorResponse, sessionUser } from "@/server/http/route-helpers";
import { exportCampaignTargets } from "@/server/services/campaigns";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(
  _request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const db = await getDb();
  const user = await sessionUser(db);
  if (!user) return errorResponse(401, "UNAUTHORIZED", "Sign in to export campaign targets.");
  const { id } = await context.params;
  const campaignId = /^[1-9][0-9]{0,8}$/.test(id) ? Number(id) : null;
  if (campaignId === null) return errorResponse(404, "NOT_FOUND", "No such campaign.");
  let csv: Awaited<ReturnType<typeof exportCampaignTargets>>;
  try {
    csv = await exportCampaignTargets(db, campaignId);
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND")
      return errorResponse(404, "NOT_FOUND", error.message);
    throw error;
  }
  const encoder = new TextEncoder();
  const iterator = csv.body;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        console.error(`[campaigns] export of campaign ${campaignId} failed`, error);
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
