/**
 * Shared shapes of the model library. Everything in lib/ml works on these: flat typed arrays,
 * no objects per row, so the hot loops stay monomorphic and allocation-free.
 */

/** Row-major dense matrix: value of (row r, column c) is data[r * cols + c]. */
export interface Matrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** Binary labels: 1 = churned (the positive class), 0 = retained. */
export type Labels = Uint8Array;

export const ALGORITHMS = ["logistic_regression", "random_forest", "gradient_boosting", "svm"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];
/** What a fitted model can be: one of the algorithms, or a blend of two fitted models (lib/ml/ensemble). */
export type ModelAlgorithm = Algorithm | "blend";

export interface FitOptions {
  /** Per-row weights (class weights are expressed this way). Defaults to 1 for every row. */
  sampleWeight?: Float64Array;
}

/**
 * Additive attribution per row and encoded feature:
 * baseValue + sum_c values[r * cols + c] === model output of row r, in `space`.
 * "margin" is log-odds; "probability" is P(churn) (random forest averages probabilities).
 */
export interface Explanation {
  readonly space: "margin" | "probability";
  readonly baseValue: number;
  readonly values: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** Versioned JSON form of a fitted classifier; `fromJSON` of the same class restores it exactly. */
export interface SerializedClassifier {
  readonly algorithm: ModelAlgorithm;
  readonly formatVersion: number;
  readonly params: Record<string, unknown>;
  readonly state: unknown;
}

/**
 * The estimator shape every algorithm implements (scikit-learn style): options in the
 * constructor, never changed by fit; fit learns state and returns this.
 */
export interface Classifier {
  readonly algorithm: ModelAlgorithm;
  fit(X: Matrix, y: Labels, options?: FitOptions): this;
  /** P(churn) per row. */
  predictProba(X: Matrix): Float64Array;
  explain(X: Matrix): Explanation;
  toJSON(): SerializedClassifier;
}
