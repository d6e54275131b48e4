/**
 * POST /api/datasets/uploads — the raw CSV as the request body (so the browser can report upload
 * progress with XMLHttpRequest.upload.onprogress), the file name in `?name=` (or an
 * `X-File-Name` header, URI-encoded). The body is streamed into storage, never held in memory.
 * Answers the preview (200), or `{ error: { code, message, line?, column? } }` with 400 (a problem
 * in the file), 401, 403, 413 (too large) or 415 (multipart instead of a raw body).
 */
import { DatasetError } from "@/lib/ml/data";
import { getDb } from "@/server/db/client";
import { chunksOf, errorResponse, sessionUser, uploadFileName } from "@/server/http/route-helpers";
import { stageUpload, UploadTooLargeError } from "@/server/services/datasets";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  const db = await getDb();
  const user = await sessionUser(db);
  if (!user) return errorResponse(401, "UNAUTHORIZED", "Sign in to upload a file.");
  if (user.role !== "manager" && user.role !== "admin") {
    return errorResponse(403, "FORBIDDEN", `Uploading data needs the manager role; you are a ${user.role}.`);
  }
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    return errorResponse(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      "Send the file itself as the request body, not as a form.",
    );
  }
  if (!request.body)
    return errorResponse(400, "EMPTY_FILE", "The file is empty: it has no header and no rows.");
  const length = request.headers.get("content-length");
  const declaredSizeBytes = length !== null && /^\d+$/.test(length) ? Number(length) : null;
  try {
    const preview = await stageUpload(chunksOf(request.body), {
      fileName: uploadFileName(request),
      declaredSizeBytes,
      actor: { id: user.id, label: user.email },
    });
    return Response.json(preview, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof UploadTooLargeError) {
      return errorResponse(413, "FILE_TOO_LARGE", error.message, { maxBytes: error.maxBytes });
    }
    if (error instanceof DatasetError) {
      const { code, message, line, column } = error.toJSON();
      return errorResponse(error.code === "FILE_TOO_LARGE" ? 413 : 400, code, message, {
        ...(line !== undefined ? { line } : {}),
        ...(column !== undefined ? { column } : {}),
      });
    }
    const reference = crypto.randomUUID();
    console.error(`[datasets] upload failed (reference ${reference})`, error);
    return errorResponse(500, "INTERNAL", `Something went wrong on our side. Reference: ${reference}`);
  }
}
