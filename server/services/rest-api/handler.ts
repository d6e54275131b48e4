/**
 * The REST predict API behind `POST /api/v1/predict` and `POST /api/ml/predict/`: API key →
 * rate limit → body → scope → champion → prediction, every failure a JSON error naming the field,
 * every call logged without customer data. On a single server the hot path does no database work
 * in the common case: keys, the predictor and the risk bands are cached for a few seconds, the rate
 * limit counts in memory and the call log is buffered. With several instances (Lambda) the rate
 * limit costs one UPSERT per call (shared-rate-limit.ts).
 */
import type { ZodError } from "zod";
import { columnRecordOf } from "@/lib/column-record";
import { quoteValue, truncateText } from "@/lib/quote-value";
import type { Database } from "../../db/client";
import { logger } from "../../log";
import { observePredictCall } from "../../metrics";
import { perDatabase } from "../../process-wide";
import { hasScope } from "../api-keys";
import {
  type CustomerPrediction,
  loadPredictor,
  NoChampionError,
  PredictionInputError,
  type Predictor,
} from "../predictions";
import { getPlaybook, insightOf } from "../retention";
import { admitApiCall, scopeRefusal } from "./admit";
import { API_DRIVER_COUNT, insightsOf } from "./insights";
import { type ApiRequestLogRow, requestLogFor } from "./request-log";
import {
  type ApiCustomerPrediction,
  type ApiErrorCode,
  type ApiInsight,
  batchPredictRequestSchema,
  MAX_BATCH_CUSTOMERS,
  MAX_BODY_BYTES,
  predictRequestSchema,
} from "./schemas";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: { field?: string; index?: number } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

// ─── Caches (per database object, so tests with several databases never mix them) ─────────────

const PREDICTOR_CACHE_MS = 5_000;
const predictorCaches = perDatabase(
  "restApi.predictors",
  () => new Map<number, { predictor: Promise<Predictor>; expiresAt: number }>(),
);

/**
 * The dataset's champion for a few seconds: a promotion reaches the API within PREDICTOR_CACHE_MS.
 * Concurrent calls share one load; failures (no champion) are not cached.
 */
function cachedPredictor(db: Database, datasetId: number): Promise<Predictor> {
  const cache = predictorCaches.of(db);
  const now = Date.now();
  const hit = cache.get(datasetId);
  if (hit && hit.expiresAt > now) return hit.predictor;
  const predictor = loadPredictor(db, datasetId);
  cache.set(datasetId, { predictor, expiresAt: now + PREDICTOR_CACHE_MS });
  predictor.catch(() => cache.delete(datasetId));
  return predictor;
}

/** Drops cached predictors (tests that promote a model and expect the API to follow at once). */
export function clearPredictorCache(db: Database): void {
  predictorCaches.peek(db)?.clear();
}

// ─── Request ────────────────────────────────────────────────────────────────────────────────────

/**
 * One call to the predict API, whatever carried it: a web Request in the route handlers (Lambda,
 * `next start`) or a Node request in the Node server's fast path (scripts/serve.mjs).
 */
export interface PredictCall {
  /** The path called, with or without a trailing slash or query (the log keeps the bare path). */
  path: string;
  authorization: string | null;
  /** The Content-Length header, when the client sent one. */
  contentLength: string | null;
  /** The body as it arrives; read only once the key is accepted, and no further than the limit. */
  body: AsyncIterable<Uint8Array> | null;
}

export interface PredictAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_HEADERS = { "Content-Type": "application/json", "Cache-Control": "no-store" };

function json(status: number, body: unknown, headers: Record<string, string>): PredictAnswer {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** The bare path of a call (no query, no trailing slash): what the log keeps and routing matches. */
export function endpointOf(path: string): string {
  const query = path.indexOf("?");
  const pathname = query < 0 ? path : path.slice(0, query);
  return pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
}

async function readBody(call: PredictCall): Promise<string> {
  const tooLarge = () =>
    new ApiError(
      413,
      "payload_too_large",
      `The body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB; send at most ${MAX_BATCH_CUSTOMERS.toLocaleString("en")} customers per call`,
    );
  if (call.contentLength !== null && Number(call.contentLength) > MAX_BODY_BYTES) throw tooLarge();
  if (!call.body) return "";
  // Counted while reading, announced length or not (chunked bodies announce none): stop at the limit.
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of call.body) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A 400 for a body of the wrong shape; anything the client sent is echoed cut to 100 characters. */
function shapeError(error: ZodError): ApiError {
  const issue = error.issues[0];
  let field = truncateText(issue.path.map(String).join("."));
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    field = truncateText([field, issue.keys[0]].filter(Boolean).join("."));
    message = `Unknown field ${quoteValue(field)}: the body has customer_data (or customers for a batch) and dataset_id`;
  } else if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) {
    message = `${field} is required`;
  } else if (!message.startsWith(field)) message = `${field}: ${message}`;
  return new ApiError(400, "invalid_body", message, { field });
}

type ParsedBody =
  | { kind: "single"; datasetId: number; customers: [Record<string, unknown>]; nextBestAction: boolean }
  | { kind: "batch"; datasetId: number; customers: Record<string, unknown>[] };

function parseBody(text: string): ParsedBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "The body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(
      400,
      "invalid_body",
      "The body must be a JSON object with customer_data (one customer) or customers (a batch), and dataset_id",
    );
  }
  if (Object.hasOwn(body, "customers")) {
    const customers = (body as { customers: unknown }).customers;
    if (Array.isArray(customers) && customers.length > MAX_BATCH_CUSTOMERS) {
      throw new ApiError(
        400,
        "too_many_customers",
        `customers holds ${customers.length.toLocaleString("en")} customers; send at most ${MAX_BATCH_CUSTOMERS.toLocaleString("en")} per call`,
        { field: "customers" },
      );
    }
    const parsed = batchPredictRequestSchema.safeParse(body);
    if (!parsed.success) throw shapeError(parsed.error);
    // The customers as JSON.parse made them, not zod's copies: z.record drops a "__proto__" key,
    // and column names are data. The records are only read through their own properties.
    return {
      kind: "batch",
      datasetId: parsed.data.dataset_id,
      customers: customers as Record<string, unknown>[],
    };
  }
  const parsed = predictRequestSchema.safeParse(body);
  if (!parsed.success) throw shapeError(parsed.error);
  return {
    kind: "single",
    datasetId: parsed.data.dataset_id,
    customers: [(body as { customer_data: Record<string, unknown> }).customer_data],
    nextBestAction: parsed.data.next_best_action ?? false,
  };
}

// ─── Response ───────────────────────────────────────────────────────────────────────────────────

function toApiPrediction(prediction: CustomerPrediction, insights: ApiInsight[]): ApiCustomerPrediction {
  // Null prototype: a "__proto__" column is a key of the JSON answer like any other.
  const shapValues = columnRecordOf(prediction.contributions.map((c) => [c.column, c.probability] as const));
  return {
    risk_score: prediction.riskScore,
    risk_level: prediction.riskLevel,
    is_predicted_churn: prediction.isPredictedChurn,
    insights,
    shap_values: shapValues,
    base_value: prediction.base.probability,
    warnings: prediction.warnings,
  };
}

// ─── The handler ────────────────────────────────────────────────────────────────────────────────

async function answer(
  call: PredictCall,
  db: Database,
  log: ApiRequestLogRow,
  headers: Record<string, string>,
): Promise<PredictAnswer> {
  const admission = await admitApiCall(db, call.authorization);
  if (admission.key) log.apiKeyId = admission.key.id;
  if (!admission.ok) {
    const { status, code, message, headers: refusalHeaders } = admission.refusal;
    throw new ApiError(status, code, message, {}, refusalHeaders);
  }
  Object.assign(headers, admission.headers);
  const key = admission.key;

  const body = parseBody(await readBody(call));
  log.datasetId = body.datasetId;
  log.customers = body.customers.length;
  const scope = body.kind === "batch" ? "predict:batch" : "predict";
  if (!hasScope(key, scope)) {
    const refusal = scopeRefusal(scope, body.kind === "batch" ? "score a batch" : "score a customer");
    throw new ApiError(refusal.status, refusal.code, refusal.message);
  }

  let predictor: Predictor;
  try {
    predictor = await cachedPredictor(db, body.datasetId);
  } catch (error) {
    if (error instanceof NoChampionError)
      throw new ApiError(
        404,
        error.reason === "no_dataset" ? "dataset_not_found" : "no_champion",
        error.message,
        {
          field: "dataset_id",
        },
      );
    throw error;
  }
  log.modelId = predictor.model.modelId;
  log.modelVersion = predictor.model.version;

  let predictions: CustomerPrediction[];
  try {
    predictions = predictor.predict(body.customers, { strict: true });
  } catch (error) {
    if (error instanceof PredictionInputError && error.issues.length) {
      const issue = error.issues[0];
      const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : "";
      const where = body.kind === "batch" ? `customers[${issue.index}]: ` : "";
      throw new ApiError(400, issue.code, `${where}${issue.message}${more}`, {
        field: issue.field,
        ...(body.kind === "batch" ? { index: issue.index } : {}),
      });
    }
    throw error;
  }

  const model = {
    model_version: predictor.model.version,
    model_id: predictor.model.modelId,
    dataset_id: predictor.model.datasetId,
  };
  // Cached in settings for a few seconds: no query on most calls.
  const playbook = await getPlaybook(db);
  const insightFor = (index: number, nextBestAction: boolean) =>
    insightsOf(
      insightOf(predictor, body.customers[index], predictions[index], playbook, {
        reasonCount: API_DRIVER_COUNT,
        nextBestAction,
      }),
    );
  if (body.kind === "single") {
    return json(
      200,
      { ...toApiPrediction(predictions[0], insightFor(0, body.nextBestAction)), ...model },
      headers,
    );
  }
  // The batch form never runs the next-best-action search (~15 ms a customer).
  return json(
    200,
    { predictions: predictions.map((p, i) => toApiPrediction(p, insightFor(i, false))), ...model },
    headers,
  );
}

/** Answers one call; never throws. */
export async function answerPredictCall(call: PredictCall, db: Database): Promise<PredictAnswer> {
  const started = performance.now();
  const log: ApiRequestLogRow = {
    apiKeyId: null,
    endpoint: endpointOf(call.path),
    datasetId: null,
    modelId: null,
    modelVersion: null,
    status: 200,
    errorCode: null,
    customers: 0,
    latencyMs: 0,
  };
  const headers: Record<string, string> = {};
  let response: PredictAnswer;
  try {
    response = await answer(call, db, log, headers);
  } catch (error) {
    if (error instanceof ApiError) {
      log.errorCode = error.code;
      response = json(
        error.status,
        { error: { code: error.code, message: error.message, ...error.details } },
        { ...headers, ...error.headers },
      );
    } else {
      const reference = crypto.randomUUID();
      logger("api").error({ err: error, reference, endpoint: log.endpoint }, "predict call failed");
      log.errorCode = "internal_error";
      response = json(
        500,
        {
          error: {
            code: "internal_error",
            message: `Something went wrong on our side. Reference: ${reference}`,
          },
        },
        headers,
      );
    }
  }
  log.status = response.status;
  log.latencyMs = performance.now() - started;
  requestLogFor(db).add(log);
  observePredictCall(log);
  return response;
}
