/**
 * POST /api/score-batches?datasetId=N&name=<file name> — a CSV to score with dataset N's champion,
 * as the raw request body (the browser reports upload progress with XMLHttpRequest). The body
 * streams into storage and is checked line by line on the way. Answers the preview (200: rows,
 * columns used / missing / ignored, identifier), or `{ error: { code, message, line?, column? } }`
 * with 400 (a problem in the file), 401, 403, 404 (no such dataset), 409 (no champion yet), 413
 * (too large) or 415 (multipart instead of a raw body). Start scoring with tRPC batchScoring.start.
 */
import { DatasetError } from "@/lib/ml/data";
import { getDb } from "@/server/db/client";
import { chunksOf, errorResponse, sessionUser, uploadFileName } from "@/server/http/route-helpers";
import { BatchFileError, stageBatchUpload } from "@/server/services/batch-scoring";
import { UploadTooLargeError } from "@/server/services/datasets";
import { NoChampionError } from "@/server/services/predictions";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  const db = await getDb();
  const user = await sessionUser(db);
  if (!user) return errorResponse(401, "UNAUTHORIZED", "Sign in to upload a file.");
  if (user.role !== "manager" && user.role !== "admin") {
    return errorResponse(403, "FORBIDDEN", `Scoring a file needs the manager role; you are a ${user.role}.`);
  }
  const url = new URL(request.url);
  const datasetId = Number(url.searchParams.get("datasetId"));
  if (!Number.isInteger(datasetId) || datasetId <= 0) {
    return errorResponse(400, "NO_DATASET", "Choose the dataset whose champion model should score the file.");
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
    const preview = await stageBatchUpload(db, chunksOf(request.body), {
      datasetId,
      fileName: uploadFileName(request),
      declaredSizeBytes,
      actor: { id: user.id, label: user.email },
    });
    return Response.json(preview, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof UploadTooLargeError) {
      return errorResponse(413, "FILE_TOO_LARGE", error.message, { maxBytes: error.maxBytes });
    }
    if (error instanceof NoChampionError) {
      return error.reason === "no_dataset"
        ? errorResponse(404, "NO_DATASET", error.message)
        : errorResponse(409, "NO_CHAMPION", error.message);
    }
    if (error instanceof BatchFileError) return errorResponse(400, error.code, error.message);
    if (error instanceof DatasetError) {
      const { code, message, line, column } = error.toJSON();
      return errorResponse(code === "FILE_TOO_LARGE" ? 413 : 400, code, message, {
        ...(line !== undefined ? { line } : {}),
        ...(column !== undefined ? { column } : {}),
      });
    }
    const reference = crypto.randomUUID();
    console.error(`[batch-scoring] upload failed (reference ${reference})`, error);
    return errorResponse(500, "INTERNAL", `Something went wrong on our side. Reference: ${reference}`);
  }
}
