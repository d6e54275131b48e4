/**
 * POST /api/datasets/uploads — the raw CSV as the request body (so the browser can report upload
 * progress with XMLHttpRequest.upload.onprogress), the file name in `?name=` (or an
 * `X-File-Name` header, URI-encoded). The body is streamed into storage, never held in memory.
 * Answers the preview (200), or `{ error: { code, message, line?, column? } }` with 400 (a problem
 * in the file), 401, 403, 413 (too large) or 415 (multipart instead of a raw body).
 */
import { DatasetError } from "@/lib/ml/data";
import { auth } from "@/server/auth/config";
import { getDb } from "@/server/db/client";
import { stageUpload, UploadTooLargeError } from "@/server/services/datasets";
import { getUserById } from "@/server/services/users";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

function errorResponse(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return Response.json(
    { error: { code, message, ...extra } },
    { status, headers: { "Cache-Control": "no-store" } },
  );
}

/** A web stream as an async iterable (TypeScript's DOM types do not declare the iterator). */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Stop receiving a body we gave up on (size limit, bad bytes).
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function fileNameOf(request: Request): string {
  const url = new URL(request.url);
  const raw = url.searchParams.get("name") ?? request.headers.get("x-file-name") ?? "upload.csv";
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function POST(request: Request): Promise<Response> {
  const session = await auth();
  const userId = Number(session?.user?.id);
  const db = await getDb();
  const user = Number.isInteger(userId) && userId > 0 ? await getUserById(db, userId) : null;
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
      fileName: fileNameOf(request),
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
