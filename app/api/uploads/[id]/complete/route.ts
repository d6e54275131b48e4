/**
 * POST /api/uploads/<id>/complete — `{ parts: [{ partNumber, etag }] }` once every slice is in
 * S3: joins them, checks the size and starts the check job; answers 202 `{ status: "checking" }`
 * (poll GET /api/uploads/<id>). 400 (missing or damaged parts), 401, 403, 404, 409 (local
 * storage), 413 (the file turned out larger than the limit).
 */
import { getDb } from "@/server/db/client";
import {
  directUploadErrorResponse,
  readJsonBody,
  uploadingActor,
} from "@/server/http/direct-upload-responses";
import { completeDirectUpload, completeDirectUploadInputSchema } from "@/server/services/direct-uploads";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const db = await getDb();
  const actor = await uploadingActor(db);
  if (actor instanceof Response) return actor;
  try {
    const { id } = await context.params;
    const input = completeDirectUploadInputSchema.parse(await readJsonBody(request));
    const status = await completeDirectUpload(db, actor, id, input);
    return Response.json(status, { status: 202, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return directUploadErrorResponse(error, "completing a direct upload");
  }
}
