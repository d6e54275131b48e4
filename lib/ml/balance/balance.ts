/**
 * One entry point for the training pipeline's "balance" step: none, balanced class weights, or
 * SMOTE / SMOTE-NC. Call it on the training rows of a split or fold only, after the feature
 * pipeline was fitted on those same rows; validation and test rows are never passed in.
 */
import type { Labels, Matrix } from "../types";
import { balancedSampleWeights } from "./class-weights";
import { type SmoteOptions, smote } from "./smote";

export const BALANCING_METHODS = ["none", "class_weights", "smote"] as const;
export type BalancingMethod = (typeof BALANCING_METHODS)[number];

export interface BalanceOptions extends SmoteOptions {
  method: BalancingMethod;
}

export interface BalancedTrainingSet {
  X: Matrix;
  y: Labels;
  /** Set for "class_weights": pass as FitOptions.sampleWeight. */
  sampleWeight?: Float64Array;
  /** Rows added by SMOTE (appended after the original rows). */
  syntheticCount: number;
}

export function balanceTrainingSet(X: Matrix, y: Labels, options: BalanceOptions): BalancedTrainingSet {
  switch (options.method) {
    case "none":
      return { X, y, syntheticCount: 0 };
    case "class_weights":
      return { X, y, sampleWeight: balancedSampleWeights(y), syntheticCount: 0 };
    case "smote": {
      const result = smote(X, y, options);
      return { X: result.X, y: result.y, syntheticCount: result.syntheticCount };
    }
  }
}
