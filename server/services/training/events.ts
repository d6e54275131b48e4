/**
 * Realtime events of a training run, published on channels.trainingRun(runId). The run page
 * applies them on top of the state it loaded from the server (training.get), so a missed event
 * only delays an update until the next one or a reload.
 */

import type { ModelAlgorithm } from "@/lib/ml/types";
import type { JobStatus } from "../../db/schema";

export const TRAINING_EVENTS = {
  /** A step started or finished; carries the run's progress. */
  step: "step",
  /** A model finished training and was registered as a candidate. */
  model: "model",
  /** The run finished: champion chosen, customers scored. */
  completed: "completed",
  /** The run failed or was cancelled. */
  failed: "failed",
} as const;

export interface StepEvent {
  runId: number;
  stepId: string;
  label: string;
  state: "started" | "finished";
  /** 0..1 */
  progress: number;
  /** Short human summary of the finished step's result ("5,634 training rows, 1,409 test rows"). */
  summary?: string;
}

/** Leaderboard numbers of one model (also what training.get returns per model). */
export interface ModelMetricsSummary {
  modelId: number;
  algorithm: ModelAlgorithm;
  version: number;
  status: "candidate" | "champion" | "archived";
  cvAuc: number;
  cvAucStd: number;
  f1Churn: number;
  f1Weighted: number;
  brier: number;
  /** ROC AUC on the held-out test rows. */
  testAuc: number | null;
  fitSeconds: number;
}

export interface ModelEvent extends ModelMetricsSummary {
  runId: number;
}

export interface CompletedEvent {
  runId: number;
  championModelId: number;
  championAlgorithm: ModelAlgorithm;
  customersScored: number;
  /** Wall time from the first step's start to the end. */
  durationSeconds: number | null;
}

export interface FailedEvent {
  runId: number;
  status: Extract<JobStatus, "failed" | "cancelled">;
  error: string;
}
