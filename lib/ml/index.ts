/**
 * Public API of the model library. Callers (training jobs, the prediction API, the CLI) import
 * from here; the folders below are implementation detail.
 */
export * from "./evaluate";
export * from "./explain";
export * from "./matrix";
export * from "./metrics";
export * from "./random";
export * from "./types";
