import { type ChurnModel, type TrainChurnModelOptions, trainChurnModel } from "../churn-model";
import { takeLabels } from "../matrix";
import { type BinaryEvaluation, type EvaluationCurves, evaluateBinary, evaluationCurves } from "../metrics";
import { type Partition, stratifiedSplit } from "./split";

export interface HoldoutEvaluation {
  /** train = rows the model was fitted on, validation = the held-out test rows. */
  readonly split: Partition;
  /** Fitted on the training rows only; its threshold chosen by CV on those rows. */
  readonly model: ChurnModel;
  /** Test-row metrics at the model's threshold. */
  readonly test: BinaryEvaluation;
  readonly curves: EvaluationCurves;
}

/**
 * The final model's honest report: a stratified hold-out split, the whole pipeline (features,
 * balancing, model, threshold) fitted on the training part only, and every metric and curve
 * computed on the test part, which nothing fitted has seen.
 */
export function evaluateHoldout(
  options: Omit<TrainChurnModelOptions, "rows"> & { testFraction?: number },
): HoldoutEvaluation {
  const { testFraction = 0.2, ...train } = options;
  const split = stratifiedSplit(options.labels, { testFraction, seed: options.seed ?? 42 });
  const model = trainChurnModel({ ...train, rows: split.train });
  const proba = model.predictFrame(options.frame, split.validation);
  const y = takeLabels(options.labels, split.validation);
  return {
    split,
    model,
    test: evaluateBinary(y, proba, model.threshold),
    curves: evaluationCurves(y, proba),
  };
}
