/**
 * Shapes of the JSON the training pipeline stores in models.metrics and models.curves (written by
 * server/services/training/steps.ts), for the pages that read them back.
 */
import type { AlgorithmSummary } from "@/lib/ml/evaluate";
import type { BinaryEvaluation, EvaluationCurves } from "@/lib/ml/metrics";

export interface StoredModelMetrics {
  /** Cross-validation on the training part (each fold judged at a threshold chosen without it). */
  cv: AlgorithmSummary & { foldAucs: number[] };
  /** The held-out test part at the model's threshold. */
  test: BinaryEvaluation;
  trainingRows: number;
  testRows: number;
  /** Rows the cross-validation ran on: a stratified sample on large data (absent on older models = all). */
  crossValidationRows?: number;
  /** Rows the final fit used (the SVM and logistic regression subsample large data; absent = all). */
  finalFitRows?: number;
  encodedFeatures: number;
  finalFitSeconds: number;
  trainingSeconds: number;
  artifactBytes: number;
}

export interface StoredModelCurves {
  /** ROC, precision-recall, calibration and lift of the held-out test part. */
  test: EvaluationCurves;
  /** Held-out scores bucketed per class (bin k = [k, k + 1) × binWidth): confusion at any threshold. */
  scoreHistogram: { binWidth: number; churned: number[]; retained: number[] };
}

export interface StoredModelParams {
  classifier: Record<string, unknown>;
  balancing: string;
  folds: number;
  seed: number;
  testFraction: number;
  thresholdObjective: string;
  featurePipeline: Record<string, unknown>;
  /** The nested hyper-parameter search (absent on models trained before it, null when off). */
  tuning?: {
    budget: string;
    /** Options that differ from the recommended ones; {} = the recommended ones won. */
    chosen: Record<string, unknown>;
    options: Record<string, unknown>;
    innerAuc: number | null;
    candidates: number;
    innerFolds: number;
    perFold: Record<string, unknown>[];
    skipped: string | null;
  } | null;
  /** Set on a blend: its two members (the first weighted `weight`) and the averaging space. */
  blend?: { members: string[]; weight: number; space: string };
}
