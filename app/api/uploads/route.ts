/**
 * POST /api/uploads — starts a direct upload to S3 (storage is S3; Lambda refuses request bodies
 * over 6 MB, so the file must not pass through the app). JSON body
 * `{ purpose: "dataset", fileName, sizeBytes }` or `{ purpose: "score-batch", datasetId, fileName,
 * sizeBytes }`; answers `{ uploadId, partSizeBytes, parts: [{ partNumber, url }] }`: PUT each slice
 * of the file to its URL, keep each answer's ETag, then POST /api/uploads/<id>/complete.
 * 400, 401, 403, 409 (local storage: use the streaming upload route) or 413 (too large).
 */
import { getDb } from "@/server/db/client";
import {
  directUploadErrorResponse,
  readJsonBody,
  uploadingActor,
} from "@/server/http/direct-upload-responses";
import { startDirectUpload, startDirectUploadInputSchema } from "@/server/services/direct-uploads";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  const actor = await uploadingActor(await getDb());
  if (actor instanceof Response) return actor;
  try {
    const input = startDirectUploadInputSchema.parse(await readJsonBody(request));
    const ticket = await startDirectUpload(actor, input);
    return Response.json(ticket, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return directUploadErrorResponse(error, "starting a direct upload");
  }
}
