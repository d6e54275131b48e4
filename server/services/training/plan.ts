/**
 * The training pipeline's step list as people see it: ids, labels and how much of the progress
 * bar each step represents. The durable function (jobs/functions/train-models.ts) runs these
 * steps in this order; the run page lists them; progress is the share of weight finished.
 */
import { ALGORITHM_LABELS, ALGORITHMS, type Algorithm } from "./params";

export interface PlannedStep {
  id: string;
  label: string;
  /** Relative share of the run's wall time (measured on Telco: training dominates). */
  weight: number;
  /** Set on the per-algorithm steps. */
  algorithm?: Algorithm;
}

export const trainStepId = (algorithm: Algorithm) => `train-${algorithm}`;

const RELATIVE_TRAINING_COST: Record<Algorithm, number> = {
  logistic_regression: 4,
  random_forest: 8,
  gradient_boosting: 8,
  svm: 10,
};

/**
 * Every step the durable function has, in order. The function always has one step per known
 * algorithm (its step list must not depend on the database), and a step for an algorithm the
 * run did not ask for finishes at once; `runPlan` leaves those out.
 */
export function pipelineSteps(algorithms: readonly Algorithm[] = ALGORITHMS): PlannedStep[] {
  return [
    { id: "load", label: "Loading the dataset", weight: 1 },
    { id: "validate", label: "Validating the data", weight: 0.5 },
    { id: "features", label: "Engineering features", weight: 0.5 },
    { id: "split", label: "Splitting off the test set", weight: 0.5 },
    { id: "balance", label: "Balancing the classes", weight: 0.5 },
    ...algorithms.map((algorithm) => ({
      id: trainStepId(algorithm),
      label: `Training ${algorithm === "svm" ? "the SVM" : ALGORITHM_LABELS[algorithm].toLowerCase()}`,
      weight: RELATIVE_TRAINING_COST[algorithm],
      algorithm,
    })),
    // The fifth candidate; a run of one algorithm skips it.
    { id: "blend", label: "Blending the two best models", weight: 0.5 },
    { id: "evaluate", label: "Comparing the models", weight: 0.5 },
    { id: "explain", label: "Explaining the models", weight: 3 },
    // Scored before it is promoted: a failed scoring step leaves the previous champion (and its
    // scores) in place instead of a new champion with no scores.
    { id: "score", label: "Scoring every customer with the best model", weight: 3 },
    { id: "register", label: "Choosing the champion", weight: 0.5 },
    { id: "notify", label: "Finishing", weight: 0.25 },
  ];
}

/** The steps of one run (only the algorithms it trains). */
export function runPlan(algorithms: readonly Algorithm[]): PlannedStep[] {
  return pipelineSteps(ALGORITHMS.filter((a) => algorithms.includes(a)));
}

/** Progress 0..1 after `stepId` finished (finished = true) or when it starts (false). */
export function progressAt(plan: readonly PlannedStep[], stepId: string, finished: boolean): number {
  const total = plan.reduce((sum, s) => sum + s.weight, 0);
  let done = 0;
  for (const step of plan) {
    if (step.id === stepId) {
      if (finished) done += step.weight;
      break;
    }
    done += step.weight;
  }
  return total === 0 ? 0 : Math.min(1, done / total);
}
