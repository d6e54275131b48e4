/** The REST predict API: handler, request/response schemas, OpenAPI document, call log. */

export { type ApiExampleDataset, listApiExampleDatasets } from "./examples";
export {
  ApiError,
  answerPredictCall,
  clearPredictorCache,
  endpointOf,
  type PredictAnswer,
  type PredictCall,
} from "./handler";
export { buildOpenApiDocument } from "./openapi";
export { type ApiRequestLogRow, flushAllRequestLogs, requestLogFor } from "./request-log";
export * from "./schemas";
export { DatabaseRateLimiter, pruneRateLimitCounts } from "./shared-rate-limit";
