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
  /** Encoded 0/1 columns that form one categorical value each (one-hot groups): SMOTE-NC needs them. */
  readonly categoricalGroups?: readonly { readonly columns: readonly number[] }[];
}

export interface BalancedFold {
  readonly X: Matrix;
  readonly y: Labels;
  readonly sampleWeight?: Float64Array;
}

export interface BalanceContext {
  readonly seed: number;
  readonly categoricalGroups?: readonly { readonly columns: readonly number[] }[];
}

/** Rebalances a training fold: returns new rows (SMOTE) and/or sample weights (class weights). */
export interface BalanceStage {
  readonly name: string;
  apply(X: Matrix, y: Labels, context: BalanceContext): BalancedFold;
}

/** Balancing that changes nothing: the honest baseline. */
export const NO_BALANCING: BalanceStage = {
  name: "none",
  apply: (X, y) => ({ X, y }),
};

/**
 * A new classifier for one fold. `trainRows` are the fold's training rows (indices of the data):
 * a factory that tunes hyper-parameters searches on these rows only (nested cross-validation).
 */
export type ClassifierFactory = (seed: number, trainRows: Uint32Array) => Classifier;
