/**
 * POST /api/v1/datasets/{id}/versions — for systems that export nightly: the raw CSV as the body
 * becomes the dataset's next version, through the same staging and import as an upload in the
 * app (streamed to storage, profiled, imported in one transaction, audited). Authenticated by an
 * API key with the `datasets:write` scope and counted against the key's rate limit like predict
 * calls. The new version keeps the previous version's target, identifier and excluded columns
 * when its file still has them; a scheduled retraining trains on it at its next slot.
 *
 * Answers 201 `{ dataset_id, dataset_version_id, version, rows, positive_rate }`, or
 * `{ error: { code, message } }` with 400 (a problem in the file), 401, 403, 404, 413, 415, 429.
 */
import { desc, eq } from "drizzle-orm";
import { DatasetError, parseDatasetSchema } from "@/lib/ml/data";
import type { Database } from "../../db/client";
import { datasets, datasetVersions } from "../../db/schema";
import { FieldValidationError } from "../../errors";
import { logger } from "../../log";
import { getStorage } from "../../storage";
import type { Actor } from "../audit";
import { discardFiles, importDataset, stageUpload, UploadTooLargeError } from "../datasets";
import { admitApiCall } from "./admit";

export interface VersionUploadCall {
  authorization: string | null;
  datasetId: string;
  contentType: string | null;
  contentLength: string | null;
  fileName: string | null;
  body: AsyncIterable<Uint8Array> | null;
}

export interface VersionUploadAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

function fail(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): VersionUploadAnswer {
  return {
    status,
    body: { error: { code, message, ...extra } },
    headers: { "Cache-Control": "no-store", ...headers },
  };
}

export async function answerVersionUpload(
  db: Database,
  call: VersionUploadCall,
): Promise<VersionUploadAnswer> {
  const admission = await admitApiCall(db, call.authorization, {
    scope: "datasets:write",
    purpose: "upload a dataset version",
  });
  if (!admission.ok) {
    const { status, code, message, headers } = admission.refusal;
    return fail(status, code, message, headers);
  }
  const { headers } = admission;
  if (!/^\d{1,9}$/.test(call.datasetId) || Number(call.datasetId) < 1) {
    return fail(
      404,
      "dataset_not_found",
      `There is no dataset ${JSON.stringify(call.datasetId.slice(0, 40))}`,
      headers,
    );
  }
  const datasetId = Number(call.datasetId);
  const [dataset] = await db
    .select({ id: datasets.id, name: datasets.name })
    .from(datasets)
    .where(eq(datasets.id, datasetId));
  if (!dataset) return fail(404, "dataset_not_found", `There is no dataset ${datasetId}`, headers);
  if ((call.contentType ?? "").startsWith("multipart/form-data")) {
    return fail(
      415,
      "unsupported_media_type",
      "Send the CSV itself as the request body (text/csv), not as a form",
      headers,
    );
  }
  if (!call.body)
    return fail(400, "empty_file", "The body is empty: send the CSV as the request body", headers);

  const [previous] = await db
    .select({ schema: datasetVersions.schema })
    .from(datasetVersions)
    .where(eq(datasetVersions.datasetId, datasetId))
    .orderBy(desc(datasetVersions.version))
    .limit(1);
  const actor: Actor = { id: null, label: `api key "${admission.key.name}"` };
  const declared =
    call.contentLength !== null && /^\d+$/.test(call.contentLength) ? Number(call.contentLength) : null;
  let uploadId: string | null = null;
  try {
    const preview = await stageUpload(call.body, {
      fileName: call.fileName?.trim() || `${dataset.name}-api.csv`,
      declaredSizeBytes: declared,
      actor,
    });
    uploadId = preview.uploadId;
    const columns = new Set(preview.columns);
    const before = previous ? parseDatasetSchema(previous.schema) : null;
    const overrides = before
      ? {
          target: before.target !== null && columns.has(before.target) ? before.target : undefined,
          identifier:
            before.identifier !== null && columns.has(before.identifier) ? before.identifier : undefined,
          excluded: before.columns
            .filter((c) => c.role === "excluded" && columns.has(c.name))
            .map((c) => c.name),
        }
      : {};
    const imported = await importDataset(db, actor, { uploadId, name: dataset.name, overrides });
    uploadId = null;
    return {
      status: 201,
      body: {
        dataset_id: imported.datasetId,
        dataset_version_id: imported.datasetVersionId,
        version: imported.version,
        rows: imported.rowCount,
        positive_rate: imported.positiveRate,
      },
      headers: { "Cache-Control": "no-store", ...headers },
    };
  } catch (error) {
    if (error instanceof UploadTooLargeError) return fail(413, "payload_too_large", error.message, headers);
    if (error instanceof DatasetError) {
      const { code, message, line, column } = error.toJSON();
      return fail(code === "FILE_TOO_LARGE" ? 413 : 400, code.toLowerCase(), message, headers, {
        ...(line !== undefined ? { line } : {}),
        ...(column !== undefined ? { column } : {}),
      });
    }
    if (error instanceof FieldValidationError) {
      return fail(
        400,
        "invalid_file",
        Object.values(error.fieldErrors).flat()[0] ?? "The file cannot be imported",
        headers,
      );
    }
    if (error instanceof Error && error.name === "IdentifierError")
      return fail(400, "invalid_file", error.message, headers);
    const reference = crypto.randomUUID();
    logger("api").error({ err: error, reference }, "dataset version upload failed");
    return fail(500, "internal_error", `Something went wrong on our side. Reference: ${reference}`, headers);
  } finally {
    // Nothing half-written: a staged file that was not imported is removed.
    if (uploadId) await discardFiles(getStorage(), uploadId).catch(() => {});
  }
}
