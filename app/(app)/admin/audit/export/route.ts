/**
 * GET /admin/audit/export?action=&actor=&targetType=&targetId=&from=&to= — the audit log as CSV
 * with the audit page's filters (`from`/`to` are ISO instants: the page converts the reader's local
 * days). Admins only; the export itself is audited. 400 for filters that do not parse.
 */

import { requestIp } from "@/server/auth/request-ip";
import { getDb } from "@/server/db/client";
import { errorResponse, sessionUser } from "@/server/http/route-helpers";
import { auditFilterSchema } from "@/server/routers/audit/_router";
import { exportAuditCsv } from "@/server/services/audit";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request): Promise<Response> {
  const db = await getDb();
  const user = await sessionUser(db);
  if (!user) return errorResponse(401, "UNAUTHORIZED", "Sign in to export the audit log.");
  if (user.role !== "admin")
    return errorResponse(403, "FORBIDDEN", "Exporting the audit log needs the admin role.");
  const params = new URL(request.url).searchParams;
  const raw: Record<string, string> = {};
  for (const key of ["action", "actor", "targetType", "targetId", "from", "to"]) {
    const value = params.get(key);
    if (value) raw[key] = value;
  }
  const parsed = auditFilterSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return errorResponse(400, "BAD_REQUEST", `${issue.path.join(".") || "filter"}: ${issue.message}`);
  }
  const { csv, fileName } = await exportAuditCsv(
    db,
    { id: user.id, label: user.email, ip: requestIp(request.headers) },
    parsed.data,
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
