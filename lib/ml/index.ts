/**
 * Public API of the model library. Callers (training jobs, the prediction API, the CLI) import
 * from here; the folders are implementation detail.
 */
export * from "./balance";
export * from "./churn-model";
export * from "./data";
export * from "./ensemble";
export * from "./evaluate";
export * from "./explain";
export * from "./features";
export * from "./interrupt";
export * from "./linear";
export * from "./matrix";
export * from "./metrics";
export * from "./random";
export * from "./trees";
export * from "./tuning";
export * from "./types";
