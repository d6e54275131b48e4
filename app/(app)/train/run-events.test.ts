import { describe, expect, it } from "vitest";
import type { ModelEvent } from "@/server/services/training/events";
import { runPlan } from "@/server/services/training/plan";
import type { RunDetail } from "@/server/services/training/runs";
import { withModel, withStep } from "./run-events";

function queuedRun(): RunDetail {
  const params = {
    algorithms: ["logistic_regression", "svm"] as RunDetail["params"]["algorithms"],
    balancing: "none" as const,
    folds: 5,
    seed: 42,
    testFraction: 0.2,
    threshold: "f1" as const,
  };
  return {
    id: 7,
    datasetId: 1,
    datasetName: "Telco",
    datasetVersionId: 3,
    datasetVersion: 2,
    status: "queued",
    params,
    progress: 0,
    currentStep: null,
    error: null,
    trigger: "manual",
    jobId: "job_1",
    cancelRequested: false,
    createdAt: new Date("2030-01-01T00:00:00Z"),
    startedAt: null,
    finishedAt: null,
    createdById: 1,
    createdByName: "Ada",
    steps: runPlan(params.algorithms).map((s) => ({
      id: s.id,
      label: s.label,
      state: "pending",
      durationMs: null,
    })),
    models: [],
  };
}

const step = (stepId: string, state: "started" | "finished", progress: number) => ({
  runId: 7,
  stepId,
  label: stepId,
  state,
  progress,
});

describe("live run events", () => {
  it("moves the run through its steps as events arrive", () => {
    let run = withStep(queuedRun(), step("load", "started", 0));
    expect(run).toMatchObject({ status: "running", currentStep: "load", progress: 0 });
    run = withStep(run, step("load", "finished", 0.05));
    run = withStep(run, step("split", "started", 0.1));
    expect(run.steps.slice(0, 5).map((s) => s.state)).toEqual(["done", "done", "done", "running", "pending"]);
    expect(run.progress).toBe(0.1);
  });

  it("never goes backwards on a late event, and ignores events after the run ended", () => {
    let run = withStep(queuedRun(), step("split", "started", 0.2));
    const late = withStep(run, step("load", "started", 0.01));
    expect(late.currentStep).toBe("split");
    expect(late.progress).toBe(0.2);
    expect(late.steps[0].state).toBe("done");
    run = { ...run, status: "succeeded", progress: 1 };
    expect(withStep(run, step("notify", "started", 0.99))).toBe(run);
  });

  it("adds each model once, replacing it when announced again", () => {
    const event: ModelEvent = {
      runId: 7,
      modelId: 11,
      algorithm: "svm",
      version: 4,
      status: "candidate",
      cvAuc: 0.84,
      cvAucStd: 0.01,
      f1Churn: 0.62,
      f1Weighted: 0.77,
      brier: 0.14,
      testAuc: 0.83,
      fitSeconds: 2.5,
    };
    let run = withModel(queuedRun(), event);
    run = withModel(run, { ...event, cvAuc: 0.845 });
    expect(run.models).toHaveLength(1);
    expect(run.models[0]).toMatchObject({
      id: 11,
      algorithm: "svm",
      cvAuc: 0.845,
      testAuc: 0.83,
      datasetName: "Telco",
    });
  });
});
