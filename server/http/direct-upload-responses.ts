/**
 * What the /api/uploads routes share: the manager guard (uploading data needs the manager role,
 * as on the streaming routes) and the mapping of the direct-uploads service's errors to answers.
 */
import { ZodError } from "zod";
import type { Database } from "../db/client";
import type { Actor } from "../services/audit";
import { DirectUploadRequestError } from "../services/direct-uploads";
import { errorResponse, sessionUser } from "./route-helpers";

export async function uploadingActor(db: Database): Promise<Actor | Response> {
  const user = await sessionUser(db);
  if (!user) return errorResponse(401, "UNAUTHORIZED", "Sign in to upload a file.");
  if (user.role !== "manager" && user.role !== "admin") {
    return errorResponse(403, "FORBIDDEN", `Uploading data needs the manager role; you are a ${user.role}.`);
  }
  return { id: user.id, label: user.email };
}

export async function readJsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new DirectUploadRequestError(400, "INVALID_JSON", "The request body must be JSON.");
  }
}

export function directUploadErrorResponse(error: unknown, what: string): Response {
  if (error instanceof DirectUploadRequestError) {
    return errorResponse(error.status, error.code, error.message, error.extra);
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const field = issue?.path.map(String).join(".") || "body";
    return errorResponse(400, "INVALID_REQUEST", `${field}: ${issue?.message ?? "invalid"}`);
  }
  const reference = crypto.randomUUID();
  console.error(`[uploads] ${what} failed (reference ${reference})`, error);
  return errorResponse(500, "INTERNAL", `Something went wrong on our side. Reference: ${reference}`);
}
