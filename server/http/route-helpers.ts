/**
 * What the JSON/streaming route handlers in app/api share: the error body every route answers,
 * the signed-in user read fresh from the database, a request body as an async iterable, and the
 * file name of a raw-body upload.
 */
import { auth } from "../auth/config";
import { userOfSession } from "../auth/session-user";
import type { Database } from "../db/client";
import type { PublicUser } from "../services/users";

/** `{ error: { code, message, ...extra } }`, never cached. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  return Response.json(
    { error: { code, message, ...extra } },
    { status, headers: { "Cache-Control": "no-store" } },
  );
}

/** The session's user as the database knows them now (role included), or null once the session ended. */
export async function sessionUser(db: Database): Promise<PublicUser | null> {
  return userOfSession(db, await auth());
}

/** A web stream as an async iterable (TypeScript's DOM types do not declare the iterator). */
export async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
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

/** The uploaded file's name: `?name=` or an `X-File-Name` header (URI-encoded), else upload.csv. */
export function uploadFileName(request: Request): string {
  const raw =
    new URL(request.url).searchParams.get("name") ?? request.headers.get("x-file-name") ?? "upload.csv";
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
