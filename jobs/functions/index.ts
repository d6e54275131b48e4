/**
 * The registry of durable functions (read by jobs/registry.ts): one export line per function.
 * Order does not matter; ids must be unique.
 */
export { demoEvents } from "./demo-events";
export { driftCheck } from "./drift-check";
export { generateReport } from "./generate-report";
export { importUpload } from "./import-upload";
export { pruneJobs } from "./prune-jobs";
export { retrainingScheduler } from "./retraining-scheduler";
export { retrainingWebhook } from "./retraining-webhook";
export { scoreBatch } from "./score-batch";
export { scoreChampion } from "./score-champion";
export { sendMail } from "./send-mail";
export { trainModels } from "./train-models";
