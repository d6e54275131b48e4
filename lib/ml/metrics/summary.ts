import type { Labels } from "../types";
import { type ClassificationMetrics, classificationMetrics } from "./classification";
import {
  type CalibrationBin,
  calibrationCurve,
  DEFAULT_MAX_CURVE_POINTS,
  type LiftRow,
  liftByDecile,
  type PrPoint,
  precisionRecallCurve,
  type RocPoint,
  rocCurve,
} from "./curves";
import { brierScore, logLoss } from "./probability";
import { averagePrecision, rocAuc } from "./ranking";

/** Every number a model page shows, computed once from labels, probabilities and a threshold. */
export interface BinaryEvaluation extends ClassificationMetrics {
  readonly rows: number;
  readonly positiveRate: number;
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly logLoss: number;
  readonly brier: number;
}

export interface EvaluationCurves {
  readonly roc: RocPoint[];
  readonly pr: PrPoint[];
  readonly calibration: CalibrationBin[];
  readonly lift: LiftRow[];
}

export function evaluateBinary(y: Labels, proba: ArrayLike<number>, threshold = 0.5): BinaryEvaluation {
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i];
  return {
    rows: y.length,
    positiveRate: y.length ? positives / y.length : 0,
    rocAuc: rocAuc(y, proba),
    prAuc: averagePrecision(y, proba),
    logLoss: logLoss(y, proba),
    brier: brierScore(y, proba),
    ...classificationMetrics(y, proba, threshold),
  };
}

export function evaluationCurves(
  y: Labels,
  proba: ArrayLike<number>,
  maxPoints = DEFAULT_MAX_CURVE_POINTS,
): EvaluationCurves {
  return {
    roc: rocCurve(y, proba, maxPoints),
    pr: precisionRecallCurve(y, proba, maxPoints),
    calibration: calibrationCurve(y, proba),
    lift: liftByDecile(y, proba),
  };
}
