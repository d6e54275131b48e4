import { BlendClassifier } from "../ensemble/blend";
import type { FeaturePipelineOptions } from "../features/pipeline";
import { LogisticRegression, type LogisticRegressionOptions, Svm, type SvmOptions } from "../linear";
import {
  GradientBoostingClassifier,
  type GradientBoostingOptions,
  RandomForestClassifier,
  type RandomForestOptions,
} from "../trees";
import { ALGORITHMS, type Algorithm, type Classifier, type SerializedClassifier } from "../types";

/**
 * The four algorithms by name: how to build one with options and a seed, how to restore a stored
 * one, and which feature pipeline it wants. Everything that loops over "all algorithms" (the
 * CLI, the benchmark, the training job) goes through here.
 */

export interface AlgorithmOptions {
  logistic_regression?: Partial<LogisticRegressionOptions>;
  random_forest?: Partial<RandomForestOptions>;
  gradient_boosting?: Partial<GradientBoostingOptions>;
  svm?: Partial<SvmOptions>;
}

export { ALGORITHMS };

export function isAlgorithm(value: string): value is Algorithm {
  return (ALGORITHMS as readonly string[]).includes(value);
}

/** Linear models need standardised inputs (penalty and kernel are scale-sensitive); trees do not. */
export function pipelineOptionsFor(algorithm: Algorithm): FeaturePipelineOptions {
  return { standardize: algorithm === "logistic_regression" || algorithm === "svm" };
}

/** A new, unfitted classifier; `seed` overrides any seed in the options. */
export function createClassifier(algorithm: Algorithm, options: AlgorithmOptions = {}, seed = 0): Classifier {
  switch (algorithm) {
    case "logistic_regression":
      return new LogisticRegression(options.logistic_regression);
    case "random_forest":
      return new RandomForestClassifier({ ...options.random_forest, seed });
    case "gradient_boosting":
      return new GradientBoostingClassifier({ ...options.gradient_boosting, seed });
    case "svm":
      return new Svm({ ...options.svm, seed });
  }
}

/** Restores a classifier stored with toJSON. */
export function classifierFromJSON(json: SerializedClassifier): Classifier {
  switch (json.algorithm) {
    case "logistic_regression":
      return LogisticRegression.fromJSON(json);
    case "random_forest":
      return RandomForestClassifier.fromJSON(json);
    case "gradient_boosting":
      return GradientBoostingClassifier.fromJSON(json);
    case "svm":
      return Svm.fromJSON(json);
    case "blend":
      return BlendClassifier.fromJSON(json, classifierFromJSON);
    default:
      throw new Error(`Unknown algorithm ${JSON.stringify((json as { algorithm?: unknown }).algorithm)}`);
  }
}

/**
 * Options the CLI, the benchmark and the training job use: the estimators' defaults except where
 * 5-fold CV on Telco showed a better choice. Tuned on fold seeds 7 and 3 only; the reported
 * numbers (BENCHMARKS.md) use seed 42, so the choice never saw the folds it is judged on.
 * - random forest: depth 7 with 30 rows per leaf beat the defaults (depth 6, 20 rows) by
 *   +0.0006 / +0.0009 AUC, as well as depth 8 or 10 with explain 1.5-2x faster (fewer leaves for
 *   TreeSHAP); depth 6, leaf 50 and maxFeatures 0.5 were worse.
 *   Then depth 6 (same 30 rows per leaf): AUC -0.0004 / -0.0009 on seeds 7 / 3 (+0.0001 on 42), within
 *   fold noise, with half the leaves, so one-row TreeSHAP over 100 trees fits the 1 ms budget.
 * - boosting: minChildWeight 10 and colsample 0.5 matched or beat the defaults (+0.0003 /
 *   +0.0005 AUC; every variant tried was within 0.001) and fit in about 2/3 of the time. Then
 *   learning rate 0.03 instead of 0.05 (early stopping keeps more of the 200 rounds): 0.8498 /
 *   0.8495 against 0.8493 / 0.8492 on seeds 7 / 3, and 0.8482 against 0.8479 on seed 42 (checked
 *   after the choice); 20 more early-stopping rounds, lambda 5 or row subsampling 0.7 did not help.
 * - SVM: a linear kernel on the pipeline's one-hot, engineered and standardised features scores the
 *   same as the RBF approximation (seeds 7 / 3 / 42: 0.8429 / 0.8426 / 0.8423 against 0.8429 /
 *   0.8424 / 0.8418), and its SHAP values are exact and cost ~0.05 ms a row instead of ~30 ms of
 *   sampled Shapley; C 0.05 converges in a fraction of the epochs of C 0.3 at the same AUC, and 2
 *   calibration folds cost one inner fit less than 3 at the same AUC. The RBF kernel stays available.
 */
export const RECOMMENDED_ALGORITHM_OPTIONS: Readonly<AlgorithmOptions> = Object.freeze<AlgorithmOptions>({
  random_forest: { maxDepth: 6, minSamplesLeaf: 30 },
  gradient_boosting: { minChildWeight: 10, colsample: 0.5, learningRate: 0.03 },
  svm: { kernel: "linear", C: 0.05, calibrationFolds: 2 },
});
