import type { Classifier, Labels, Matrix } from "../types";

/**
 * The pieces cross-validation composes. They are interfaces (not the concrete FeaturePipeline or
 * SMOTE) so the evaluation can be tested with spies that record exactly which rows each stage saw.
 */

/** Learns its encoding from the given rows of `data` only. */
export interface FeatureStage<TData> {
  fit(data: TData, rows: Uint32Array): FittedFeatureStage<TData>;
}

export interface FittedFeatureStage<TData> {
  transform(data: TData, rows: Uint32Array): Matrix;
  /** Per encoded column: true when it is categorical (one-hot, binary flag); used by SMOTE-NC. */
  readonly categoricalMask?: readonly boolean[];
}

export interface BalancedTrainingSet {
  readonly X: Matrix;
  readonly y: Labels;
  readonly sampleWeight?: Float64Array;
}

/** Rebalances a training fold: returns new rows (SMOTE) and/or sample weights (class weights). */
export interface BalanceStage {
  readonly name: string;
  apply(X: Matrix, y: Labels, context: { seed: number; categoricalMask?: readonly boolean[] }): BalancedTrainingSet;
}

/** Balancing that changes nothing: the honest baseline. */
export const NO_BALANCING: BalanceStage = {
  name: "none",
  apply: (X, y) => ({ X, y }),
};

export type ClassifierFactory = (seed: number) => Classifier;
