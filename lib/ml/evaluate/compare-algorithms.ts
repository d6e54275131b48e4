import type { BalancingMethod, SmoteOptions } from "../balance";
import type { DatasetSchema, Frame } from "../data";
import { FeaturePipeline, type FeaturePipelineOptions } from "../features";
import type { ThresholdObjective } from "../metrics";
import { type TuningBudget, type TuningResult, tuneAlgorithm, tunedOptions } from "../tuning";
import type { Algorithm, Labels } from "../types";
import {
  type AlgorithmOptions,
  createClassifier,
  pipelineOptionsFor,
  RECOMMENDED_ALGORITHM_OPTIONS,
} from "./algorithms";
import { balanceStage } from "./balancing";
import { type CrossValidationResult, crossValidate, type FoldResult } from "./cross-validate";
import { type Partition, stratifiedKFold } from "./split";
import type { FeatureStage } from "./stages";
import { type AlgorithmSummary, selectChampion, summarizeCrossValidation } from "./summarize";

/** The FeaturePipeline as a cross-validation stage: a fresh pipeline fitted per training fold. */
export function featurePipelineStage(
  schema: DatasetSchema,
  options: FeaturePipelineOptions = {},
): FeatureStage<Frame> {
  return {
    fit(frame, rows) {
      const pipeline = FeaturePipeline.fromSchema(schema, options).fit(frame, rows);
      return {
        transform: (data, which) => pipeline.transform(data, which),
        categoricalGroups: pipeline.categoricalGroups,
      };
    },
  };
}

export interface CompareOptions {
  /** Default: all four. */
  algorithms?: readonly Algorithm[];
  /** Per-algorithm options (the seed is set per fold). Default RECOMMENDED_ALGORITHM_OPTIONS. */
  algorithmOptions?: AlgorithmOptions;
  /** Applied to each training fold only. Default "none". */
  balancing?: BalancingMethod;
  smote?: Omit<SmoteOptions, "seed" | "categoricalGroups">;
  /** Overrides pipelineOptionsFor(algorithm) (standardisation stays per algorithm unless set). */
  pipeline?: Omit<FeaturePipelineOptions, "standardize">;
  /** Default 5. */
  folds?: number;
  /** Default 42. */
  seed?: number;
  /** Default: max churn-class F1. */
  threshold?: ThresholdObjective;
  /** Same folds for every algorithm (default: stratified k-fold from folds/seed). */
  partitions?: readonly Partition[];
  onFold?: (algorithm: Algorithm, fold: FoldResult) => void;
  /**
   * Nested hyper-parameter search: inside every outer training fold, a budgeted search on that
   * fold's rows only chooses the options the fold's model is fitted with, so the reported CV AUC
   * judges the whole procedure (search included) on rows the search never saw. Default: none.
   */
  tuning?: TuningBudget;
  /** The search leaves out trees deeper than this (large data: see large-data.ts). */
  tuningMaxTreeDepth?: number | null;
  /** Every inner fit of the nested search (outer fold, rows fitted and scored): for leakage tests. */
  onTuningFit?: (event: { outerFold: number; fitRows: Uint32Array; scoreRows: Uint32Array }) => void;
}

export interface AlgorithmEvaluation {
  readonly result: CrossValidationResult;
  readonly summary: AlgorithmSummary;
  /** Per outer fold, what the nested search chose (only with the `tuning` option). */
  readonly tuning?: readonly TuningResult[];
}

/** Cross-validates one algorithm's whole pipeline (features, balancing, model) on a training set. */
export function crossValidateAlgorithm(
  schema: DatasetSchema,
  frame: Frame,
  labels: Labels,
  algorithm: Algorithm,
  options: Omit<CompareOptions, "algorithms"> = {},
): AlgorithmEvaluation {
  const seed = options.seed ?? 42;
  const base = options.algorithmOptions ?? RECOMMENDED_ALGORITHM_OPTIONS;
  const budget = options.tuning;
  const tuning: TuningResult[] = [];
  const result = crossValidate({
    data: frame,
    y: labels,
    features: featurePipelineStage(schema, { ...options.pipeline, ...pipelineOptionsFor(algorithm) }),
    balance: balanceStage(options.balancing ?? "none", options.smote),
    createClassifier: (foldSeed, trainRows) => {
      if (!budget) return createClassifier(algorithm, base, foldSeed);
      const outerFold = tuning.length;
      const tuned = tuneAlgorithm({
        schema,
        frame,
        labels,
        algorithm,
        rows: trainRows,
        budget,
        seed: foldSeed,
        baseOptions: base,
        balancing: options.balancing,
        smote: options.smote,
        pipeline: options.pipeline,
        maxTreeDepth: options.tuningMaxTreeDepth,
        onFit: options.onTuningFit
          ? ({ fitRows, scoreRows }) => options.onTuningFit?.({ outerFold, fitRows, scoreRows })
          : undefined,
      });
      tuning.push(tuned);
      return createClassifier(algorithm, tunedOptions(base, tuned), foldSeed);
    },
    folds: options.folds,
    seed,
    partitions: options.partitions,
    onFold: options.onFold ? (fold) => options.onFold?.(algorithm, fold) : undefined,
  });
  const summary = summarizeCrossValidation(result, labels, options.threshold);
  return budget ? { result, summary, tuning } : { result, summary };
}

export interface AlgorithmComparison {
  readonly evaluations: readonly AlgorithmEvaluation[];
  readonly summaries: readonly AlgorithmSummary[];
  /** Best CV AUC. */
  readonly champion: Algorithm;
  readonly partitions: readonly Partition[];
}

/** Every algorithm on the same stratified folds; champion = best mean CV AUC. */
export function compareAlgorithms(
  schema: DatasetSchema,
  frame: Frame,
  labels: Labels,
  options: CompareOptions = {},
): AlgorithmComparison {
  const algorithms =
    options.algorithms ?? (["logistic_regression", "random_forest", "gradient_boosting", "svm"] as const);
  const partitions =
    options.partitions ?? stratifiedKFold(labels, { folds: options.folds ?? 5, seed: options.seed ?? 42 });
  const evaluations = algorithms.map((algorithm) =>
    crossValidateAlgorithm(schema, frame, labels, algorithm, { ...options, partitions }),
  );
  const summaries = evaluations.map((e) => e.summary);
  return { evaluations, summaries, champion: selectChampion(summaries).algorithm, partitions };
}
