/** The REST predict API: handler, request/response schemas, OpenAPI document, call log. */
export { ApiError, clearPredictorCache, handlePredictRequest } from "./handler";
export { buildOpenApiDocument } from "./openapi";
export { type ApiRequestLogRow, flushAllRequestLogs, requestLogFor } from "./request-log";
export * from "./schemas";
