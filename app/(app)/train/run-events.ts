/**
 * How live events update a run loaded from the server (training.get): pure functions, so the page
 * state after any sequence of events is testable without a browser.
 */
import type { ModelEvent, StepEvent } from "@/server/services/training/events";
import type { RunDetail } from "@/server/services/training/runs";

export const isActive = (status: string) => status === "queued" || status === "running";

/**
 * Applies a live step event to the run as loaded from the server. Never moves backwards: a late
 * event for an earlier step, or any event after the run ended, changes nothing it should not.
 */
export function withStep(run: RunDetail, event: StepEvent): RunDetail {
  if (!isActive(run.status)) return run;
  const index = run.steps.findIndex((s) => s.id === event.stepId);
  if (index < 0) return run;
  const currentIndex = run.steps.findIndex((s) => s.id === run.currentStep);
  return {
    ...run,
    status: "running",
    progress: Math.max(run.progress, event.progress),
    currentStep: index >= currentIndex ? event.stepId : run.currentStep,
    steps: run.steps.map((step, i) => {
      if (step.state === "done") return step;
      if (i < index) return { ...step, state: "done" };
      if (i === index) return { ...step, state: event.state === "finished" ? "done" : "running" };
      return step;
    }),
  };
}

/** Adds (or replaces) the model a "model" event announces. */
export function withModel(run: RunDetail, event: ModelEvent): RunDetail {
  const model = {
    id: event.modelId,
    runId: event.runId,
    datasetId: run.datasetId,
    datasetName: run.datasetName,
    datasetVersionId: run.datasetVersionId,
    datasetVersion: run.datasetVersion,
    algorithm: event.algorithm,
    version: event.version,
    status: event.status,
    cvAuc: event.cvAuc,
    cvAucStd: event.cvAucStd,
    f1Churn: event.f1Churn,
    f1Weighted: event.f1Weighted,
    brier: event.brier,
    fitSeconds: event.fitSeconds,
    threshold: 0,
    createdAt: new Date(),
    promotedAt: null,
    testAuc: event.testAuc,
  };
  const others = run.models.filter((m) => m.id !== event.modelId);
  return { ...run, models: [...others, model] };
}
