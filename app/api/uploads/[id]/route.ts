/**
 * GET /api/uploads/<id> — where a direct upload is: `{ status: "uploading" | "checking" }`,
 * `{ status: "ready", preview }` (the same preview the streaming upload routes answer) or
 * `{ status: "failed", error: { code, message, line?, column? } }`.
 * DELETE /api/uploads/<id> — cancels it (parts, object and records go); 204.
 * Only the uploader sees their upload: anyone else gets 404.
 */
import { getDb } from "@/server/db/client";
import { directUploadErrorResponse, uploadingActor } from "@/server/http/direct-upload-responses";
import { discardDirectUpload, getDirectUploadStatus } from "@/server/services/direct-uploads";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Context = { params: Promise<{ id: string }> };

export async function GET(_request: Request, context: Context): Promise<Response> {
  const actor = await uploadingActor(await getDb());
  if (actor instanceof Response) return actor;
  try {
    const status = await getDirectUploadStatus(actor, (await context.params).id);
    return Response.json(status, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return directUploadErrorResponse(error, "reading a direct upload");
  }
}

export async function DELETE(_request: Request, context: Context): Promise<Response> {
  const actor = await uploadingActor(await getDb());
  if (actor instanceof Response) return actor;
  try {
    await discardDirectUpload(actor, (await context.params).id);
    return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return directUploadErrorResponse(error, "cancelling a direct upload");
  }
}
