/**
 * What a training run is asked to do, validated once when the run is created and stored in
 * `training_runs.params`; every step reads it back from there, so a resumed run trains exactly
 * what was asked even if defaults change in between.
 *
 * Pure (zod and lib/ml only): the train form imports the choices and defaults from here.
 */
import { z } from "zod";
import { BALANCING_METHODS, type BalancingMethod } from "@/lib/ml/balance";
import { TUNING_BUDGETS, type TuningBudget } from "@/lib/ml/tuning/search-space";
import { ALGORITHMS, type Algorithm } from "@/lib/ml/types";

export type { Algorithm, BalancingMethod, TuningBudget };
export { ALGORITHMS, BALANCING_METHODS, TUNING_BUDGETS };

/**
 * Hyper-parameter search per algorithm, nested inside the cross-validation folds. "quick" tries 3
 * configurations on one inner split (a few times the untuned training time); "thorough" 8-12 by
 * successive halving over 3 inner folds (about 10x quick).
 */
export const DEFAULT_TUNING: TuningBudget = "quick";

export const TUNING_LABELS: Record<TuningBudget, string> = {
  quick: "Quick",
  thorough: "Thorough",
};

export const TUNING_DESCRIPTIONS: Record<TuningBudget, string> = {
  quick: "Tries 3 settings per algorithm: about as long as a plain run, a little longer.",
  thorough:
    "Searches 8–12 settings per algorithm on 3 inner folds: about 10× longer, best on unfamiliar data.",
};

/**
 * No resampling: every algorithm's decision threshold is tuned on out-of-fold predictions, which
 * already handles the 1:3 class ratio of churn data, and resampling shifts the predicted
 * probabilities away from the observed churn rate (worse Brier score). lib/ml exports no
 * recommendation yet; when it does, this should point at it.
 */
export const RECOMMENDED_BALANCING: BalancingMethod = "none";

/** Share of each class held out for the final, untouched evaluation. */
export const TEST_FRACTION = 0.2;
export const DEFAULT_FOLDS = 5;
export const DEFAULT_SEED = 42;

export const ALGORITHM_LABELS: Record<Algorithm, string> = {
  logistic_regression: "Logistic regression",
  random_forest: "Random forest",
  gradient_boosting: "Gradient boosting",
  svm: "SVM",
};

export const BALANCING_LABELS: Record<BalancingMethod, string> = {
  none: "None",
  class_weights: "Class weights",
  smote: "SMOTE",
};

export const startTrainingInputSchema = z.object({
  datasetVersionId: z.number().int().positive(),
  algorithms: z
    .array(z.enum(ALGORITHMS))
    .min(1, "Choose at least one algorithm")
    .optional()
    .transform((list) => (list ? ALGORITHMS.filter((a) => list.includes(a)) : [...ALGORITHMS])),
  balancing: z.enum(BALANCING_METHODS).default(RECOMMENDED_BALANCING),
  folds: z
    .number()
    .int()
    .min(2, "Use at least 2 folds")
    .max(10, "Use at most 10 folds")
    .default(DEFAULT_FOLDS),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(DEFAULT_SEED),
  tuning: z.enum(TUNING_BUDGETS).default(DEFAULT_TUNING),
});
export type StartTrainingInput = z.input<typeof startTrainingInputSchema>;

/** The stored form (training_runs.params). */
export const trainingParamsSchema = z.object({
  algorithms: z.array(z.enum(ALGORITHMS)).min(1),
  balancing: z.enum(BALANCING_METHODS),
  folds: z.number().int().min(2),
  seed: z.number().int(),
  testFraction: z.number().gt(0).lt(1),
  threshold: z.literal("f1"),
  /** Absent on runs created before tuning existed: they train with the recommended options. */
  tuning: z.enum(TUNING_BUDGETS).optional(),
});
export type TrainingParams = z.infer<typeof trainingParamsSchema>;

export function parseTrainingParams(value: unknown): TrainingParams {
  return trainingParamsSchema.parse(value);
}
