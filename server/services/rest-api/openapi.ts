/**
 * The OpenAPI 3.1 document of the REST API, generated from the zod schemas the handler validates
 * with (zod 4's toJSONSchema emits JSON Schema 2020-12, which is OpenAPI 3.1's dialect), so the
 * document cannot drift from the code. Served at GET /api/openapi.json.
 */
import { z } from "zod";
import { API_KEY_SCOPE_HELP, API_KEY_SCOPES } from "../api-keys";
import {
  API_ERROR_CODES,
  type ApiErrorCode,
  apiErrorSchema,
  batchPredictRequestSchema,
  batchPredictResponseSchema,
  customerDataSchema,
  customerPredictionSchema,
  insightSchema,
  MAX_BATCH_CUSTOMERS,
  MAX_BODY_BYTES,
  predictionWarningSchema,
  predictRequestSchema,
  predictResponseSchema,
} from "./schemas";

/** Schemas published under components/schemas, by name. */
export const OPENAPI_SCHEMAS = {
  CustomerData: customerDataSchema,
  PredictRequest: predictRequestSchema,
  BatchPredictRequest: batchPredictRequestSchema,
  PredictionWarning: predictionWarningSchema,
  Insight: insightSchema,
  CustomerPrediction: customerPredictionSchema,
  PredictResponse: predictResponseSchema,
  BatchPredictResponse: batchPredictResponseSchema,
  Error: apiErrorSchema,
} as const;

type JsonObject = Record<string, unknown>;

function componentSchemas(): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(OPENAPI_SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    uri: (id) => `#/components/schemas/${id}`,
    // Request schemas describe what clients send; response schemas what they receive.
    io: "input",
  }) as { schemas: Record<string, JsonObject> };
  const out: Record<string, JsonObject> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema;
    out[id] = rest;
  }
  return out;
}

const ref = (name: keyof typeof OPENAPI_SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });

const RATE_LIMIT_HEADERS = {
  "X-RateLimit-Limit": { description: "Calls allowed per key per minute.", schema: { type: "integer" } },
  "X-RateLimit-Remaining": { description: "Calls left in the current window.", schema: { type: "integer" } },
  "X-RateLimit-Reset": { description: "Seconds until the current window ends.", schema: { type: "integer" } },
};

function errorResponse(description: string, codes: ApiErrorCode[], headers: JsonObject = {}) {
  const examples: Record<string, JsonObject> = {};
  for (const code of codes) {
    examples[code] = {
      summary: API_ERROR_CODES[code],
      value: { error: { code, message: API_ERROR_CODES[code] } },
    };
  }
  return {
    description: `${description} Codes: ${codes.map((c) => `\`${c}\``).join(", ")}.`,
    headers,
    content: { "application/json": { schema: ref("Error"), examples } },
  };
}

function predictOperation(operationId: string, summary: string, deprecatedPathNote?: string) {
  return {
    operationId,
    summary,
    description: [
      "Scores customers with the champion model of `dataset_id`.",
      "",
      "- **One customer**: body `PredictRequest` (`customer_data`), answer `PredictResponse`; needs the `predict` scope.",
      `- **A batch**: body \`BatchPredictRequest\` (\`customers\`, 1 to ${MAX_BATCH_CUSTOMERS.toLocaleString("en")}), answer \`BatchPredictResponse\` in request order; needs the \`predict:batch\` scope.`,
      "",
      "`shap_values` holds each input column's contribution as a change in churn probability on the 0–1 scale of " +
        "`risk_score` (0.18 = +18 percentage points); `base_value` + Σ `shap_values` = `risk_score`. Missing columns are " +
        "imputed as in training and listed in `warnings`. Unknown fields, wrong types and unknown categories are refused " +
        "with 400, naming the `field` (and the customer's `index` in a batch).",
      deprecatedPathNote ?? "",
    ]
      .filter((line, i, all) => line !== "" || (i > 0 && i < all.length - 1))
      .join("\n"),
    tags: ["Predictions"],
    security: [{ apiKey: [] }],
    requestBody: {
      required: true,
      content: {
        "application/json": {
          schema: { oneOf: [ref("PredictRequest"), ref("BatchPredictRequest")] },
        },
      },
    },
    responses: {
      "200": {
        description: "The prediction(s).",
        headers: RATE_LIMIT_HEADERS,
        content: {
          "application/json": { schema: { oneOf: [ref("PredictResponse"), ref("BatchPredictResponse")] } },
        },
      },
      "400": errorResponse("The body or a customer field is wrong.", [
        "invalid_json",
        "invalid_body",
        "too_many_customers",
        "unknown_field",
        "wrong_type",
        "unknown_category",
        "invalid_record",
      ]),
      "401": errorResponse(
        "No API key, an unknown one, or a revoked one.",
        ["missing_api_key", "invalid_api_key", "revoked_api_key"],
        {
          "WWW-Authenticate": {
            description: 'Always `Bearer realm="churnguard"`.',
            schema: { type: "string" },
          },
        },
      ),
      "403": errorResponse("The key lacks the scope.", ["insufficient_scope"]),
      "404": errorResponse("The dataset does not exist or has no champion model yet.", [
        "dataset_not_found",
        "no_champion",
      ]),
      "413": errorResponse(`The body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`, [
        "payload_too_large",
      ]),
      "429": errorResponse("Over the key's rate limit.", ["rate_limited"], {
        "Retry-After": { description: "Seconds to wait before the next call.", schema: { type: "integer" } },
        ...RATE_LIMIT_HEADERS,
      }),
      "500": errorResponse("A failure on the server.", ["internal_error"]),
    },
  };
}

/** POST /api/v1/datasets/{id}/versions (server/services/rest-api/dataset-versions.ts). */
function datasetVersionOperation(): JsonObject {
  const error = (description: string) => ({
    description,
    content: {
      "application/json": {
        schema: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string" },
                message: { type: "string" },
                line: { type: "integer" },
                column: { type: "integer" },
              },
            },
          },
        },
      },
    },
  });
  return {
    operationId: "uploadDatasetVersion",
    tags: ["Datasets"],
    summary: "Upload the next version of a dataset",
    description:
      "The raw CSV as the request body (`Content-Type: text/csv`) becomes the dataset's next version, imported " +
      "like an upload in the app; it keeps the previous version's target, identifier and excluded columns when " +
      "the file still has them. A dataset with a retraining schedule trains its challenger on it at the next slot. " +
      "Needs the `datasets:write` scope; counts against the key's rate limit. Optional `?name=` sets the file name shown.",
    security: [{ apiKey: [] }],
    parameters: [
      { name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } },
      { name: "name", in: "query", required: false, schema: { type: "string" } },
    ],
    requestBody: { required: true, content: { "text/csv": { schema: { type: "string" } } } },
    responses: {
      "201": {
        description: "The version was imported",
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["dataset_id", "dataset_version_id", "version", "rows", "positive_rate"],
              properties: {
                dataset_id: { type: "integer" },
                dataset_version_id: { type: "integer" },
                version: { type: "integer" },
                rows: { type: "integer" },
                positive_rate: { type: ["number", "null"] },
              },
            },
          },
        },
      },
      "400": error("A problem in the file (the message names it; line and column when known)"),
      "401": error("No API key, or not a valid one"),
      "403": error("The key lacks the datasets:write scope"),
      "404": error("No dataset with this id"),
      "413": error("The file is larger than the upload limit"),
      "415": error("A multipart form instead of the CSV itself"),
      "429": error("Rate limited: see Retry-After"),
    },
  };
}

/** POST /api/v1/events (server/services/events). */
function eventsOperation(): JsonObject {
  const error = (description: string) => ({
    description,
    content: {
      "application/json": {
        schema: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string" },
                message: { type: "string" },
                field: { type: "string" },
                index: { type: "integer", description: "The refused event's position in `events`" },
              },
            },
          },
        },
      },
    },
  });
  const event = {
    type: "object",
    additionalProperties: false,
    required: ["customer_id", "dataset_id", "type", "at", "changes"],
    properties: {
      customer_id: { type: "string", description: "The customer's value of the dataset's identifier column" },
      dataset_id: { type: "integer", minimum: 1 },
      type: {
        type: "string",
        examples: ["plan_change", "payment_method_change", "support_ticket", "usage_drop"],
      },
      at: { type: "string", format: "date-time" },
      changes: {
        type: "object",
        minProperties: 1,
        additionalProperties: { type: ["string", "number", "null"] },
        description:
          "Column → new value; checked like a prediction (unknown columns and categories are refused)",
      },
    },
  };
  return {
    operationId: "sendEvents",
    tags: ["Events"],
    summary: "Send customer events (one, or up to 1,000 as `events`)",
    description:
      "Each event changes the customer's current features (the uploaded row stays as it was), is kept in the " +
      "customer's timeline with the champion's risk before and after, rescores the customer and updates open " +
      "dashboards, customer lists and customer pages live. A call is one transaction: a refused event (named by " +
      "`index` and `field`) applies none of the call. The target and identifier columns cannot be changed. " +
      "Needs the `events:write` scope; counts against the key's rate limit.",
    security: [{ apiKey: [] }],
    requestBody: {
      required: true,
      content: {
        "application/json": {
          schema: {
            oneOf: [
              event,
              {
                type: "object",
                additionalProperties: false,
                required: ["events"],
                properties: { events: { type: "array", minItems: 1, maxItems: 1000, items: event } },
              },
            ],
          },
        },
      },
    },
    responses: {
      "200": {
        description: "Every event was applied, in order",
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["accepted", "events"],
              properties: {
                accepted: { type: "integer" },
                events: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      index: { type: "integer" },
                      event_id: { type: "integer" },
                      customer_id: { type: "string" },
                      dataset_id: { type: "integer" },
                      risk_before: { type: ["number", "null"] },
                      risk_after: { type: "number" },
                      risk_level: { type: "string", enum: ["low", "medium", "high"] },
                      status: { type: "string", enum: ["active", "lost"] },
                    },
                  },
                },
              },
            },
          },
        },
      },
      "400": error("A refused event: unknown customer, column or category, wrong type, bad shape"),
      "401": error("No API key, or not a valid one"),
      "403": error("The key lacks the events:write scope"),
      "404": error("No dataset with this id, or it has no champion model"),
      "413": error("The body is larger than 5 MB"),
      "429": error("Rate limited: see Retry-After"),
    },
  };
}

export function buildOpenApiDocument(options: { serverUrl?: string; version?: string } = {}): JsonObject {
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "ChurnGuard prediction API",
      version: options.version ?? "1.0.0",
      description:
        "Churn risk scores, their drivers (SHAP values per column) and retention insights from a dataset's champion " +
        "model. Authenticate with an API key an admin creates in Admin → API keys: `Authorization: Bearer cg_live_…`. " +
        `Scopes: ${API_KEY_SCOPES.map((s) => `\`${s}\` (${API_KEY_SCOPE_HELP[s].toLowerCase()})`).join(", ")}. ` +
        "Each key has a per-minute rate limit (see the X-RateLimit-* headers).",
    },
    servers: options.serverUrl ? [{ url: options.serverUrl }] : [],
    tags: [{ name: "Predictions" }, { name: "Datasets" }, { name: "Events" }],
    paths: {
      "/api/v1/predict": { post: predictOperation("predict", "Score one customer or a batch") },
      "/api/ml/predict/": {
        post: predictOperation(
          "predictLegacyPath",
          "Score one customer or a batch (same as /api/v1/predict)",
          "The same operation as `POST /api/v1/predict`, kept at the path earlier clients use; with or without the trailing slash.",
        ),
      },
      "/api/v1/datasets/{id}/versions": { post: datasetVersionOperation() },
      "/api/v1/events": { post: eventsOperation() },
    },
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "cg_live_ followed by 43 URL-safe base64 characters",
          description: "An API key from Admin → API keys. It is shown once when created.",
        },
      },
    },
  };
}
