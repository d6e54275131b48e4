/**
 * Datasets: staged uploads (uploads.ts), import (import.ts), profile (profile.ts), and reading /
 * deleting datasets and versions (queries.ts). The upload route, the datasets router, the seed and
 * the training pipeline import from here.
 */
export * from "./errors";
export { formatFileSize } from "./format";
export * from "./import";
export * from "./profile";
export * from "./queries";
export type { ColumnOverrides } from "./schema";
export * from "./uploads";
