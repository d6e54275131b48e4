/**
 * POST /api/v1/events — an API key with the `events:write` scope sends one event or up to 1,000
 * (`{ events: [ … ] }`); the batch is applied in one transaction (ingest.ts) and the answer lists
 * every event with the customer's risk before and after. Errors are the predict API's shape,
 * `{ error: { code, message, field?, index? } }`, and nothing of a refused call is applied.
 * Calls count against the key's rate limit and are logged (without their content) like predict.
 */
import type { Database } from "../../db/client";
import { admitApiCall } from "../rest-api/admit";
import { type ApiRequestLogRow, requestLogFor } from "../rest-api/request-log";
import { MAX_BODY_BYTES } from "../rest-api/schemas";
import { applyEvents, EventInputError, parseEventsBody } from "./ingest";

export const EVENTS_ENDPOINT = "/api/v1/events";

export interface EventsCall {
  authorization: string | null;
  contentLength: string | null;
  body: AsyncIterable<Uint8Array> | null;
}

export interface EventsAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

class CallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

async function readBody(call: EventsCall): Promise<string> {
  const tooLarge = () =>
    new CallError(
      413,
      "payload_too_large",
      `The body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB; send at most 1,000 events per call`,
    );
  if (call.contentLength !== null && Number(call.contentLength) > MAX_BODY_BYTES) throw tooLarge();
  if (!call.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of call.body) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function answer(
  db: Database,
  call: EventsCall,
  log: ApiRequestLogRow,
  headers: Record<string, string>,
): Promise<EventsAnswer> {
  const admission = await admitApiCall(db, call.authorization, {
    scope: "events:write",
    purpose: "send events",
  });
  if (admission.key) log.apiKeyId = admission.key.id;
  if (!admission.ok) {
    const { status, code, message, headers: refusalHeaders } = admission.refusal;
    throw new CallError(status, code, message, {}, refusalHeaders);
  }
  Object.assign(headers, admission.headers);

  let parsed: unknown;
  try {
    parsed = JSON.parse(await readBody(call));
  } catch (error) {
    if (error instanceof CallError) throw error;
    throw new CallError(400, "invalid_json", "The body is not valid JSON");
  }
  const events = parseEventsBody(parsed);
  log.customers = events.length;
  log.datasetId = events[0].datasetId;
  const applied = await applyEvents(db, events, {
    source: "api",
    apiKeyId: admission.key.id,
    actor: { id: null, label: `api key "${admission.key.name}"` },
  });
  return {
    status: 200,
    headers,
    body: {
      accepted: applied.length,
      events: applied.map((a) => ({
        index: a.index,
        event_id: a.eventId,
        customer_id: a.customerId,
        dataset_id: a.datasetId,
        risk_before: a.riskBefore,
        risk_after: a.riskAfter,
        risk_level: a.levelAfter,
        status: a.isLost ? "lost" : "active",
      })),
    },
  };
}

/** Answers one call; never throws. */
export async function answerEventsCall(db: Database, call: EventsCall): Promise<EventsAnswer> {
  const started = performance.now();
  const log: ApiRequestLogRow = {
    apiKeyId: null,
    endpoint: EVENTS_ENDPOINT,
    datasetId: null,
    modelId: null,
    modelVersion: null,
    status: 200,
    errorCode: null,
    customers: 0,
    latencyMs: 0,
  };
  const headers: Record<string, string> = {};
  let response: EventsAnswer;
  try {
    response = await answer(db, call, log, headers);
  } catch (error) {
    if (error instanceof CallError || error instanceof EventInputError) {
      log.errorCode = error.code;
      response = {
        status: error.status,
        headers: { ...headers, ...(error instanceof CallError ? error.headers : {}) },
        body: { error: { code: error.code, message: error.message, ...error.details } },
      };
    } else {
      const reference = crypto.randomUUID();
      console.error(`[api] ${EVENTS_ENDPOINT} failed (reference ${reference})`, error);
      log.errorCode = "internal_error";
      response = {
        status: 500,
        headers,
        body: {
          error: {
            code: "internal_error",
            message: `Something went wrong on our side. Reference: ${reference}`,
          },
        },
      };
    }
  }
  response.headers = { "Cache-Control": "no-store", ...response.headers };
  log.status = response.status;
  log.latencyMs = performance.now() - started;
  requestLogFor(db).add(log);
  return response;
}
