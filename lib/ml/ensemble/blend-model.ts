import { ChurnModel, type ChurnModelMetadata } from "../churn-model";
import type { AlgorithmEvaluation } from "../evaluate/compare-algorithms";
import type { CrossValidationResult } from "../evaluate/cross-validate";
import { type AlgorithmSummary, summarizeCrossValidation } from "../evaluate/summarize";
import type { ThresholdObjective } from "../metrics";
import type { Algorithm, Labels } from "../types";
import {
  type BlendChoice,
  BlendClassifier,
  type BlendEvaluation,
  type BlendMember,
  type BlendSpace,
  crossFitBlend,
} from "./blend";

export interface BlendChurnModelsOptions {
  choice: Pick<BlendChoice, "weight" | "space">;
  /** Chosen on the blend's cross-fitted out-of-fold predictions (like every model's). */
  threshold: number;
  crossValidation?: AlgorithmSummary | BlendSummary | null;
  trainedAt?: string | null;
}

/**
 * One ChurnModel that scores with a blend of two fitted ChurnModels of the same data set, fitted
 * on the same rows. Their feature pipelines differ at most in standardisation (linear models
 * standardise, trees do not), so the blend reads the unstandardised encoding when a member has
 * it and rescales it for the standardised member: every record is encoded once.
 */
export function blendChurnModels(a: ChurnModel, b: ChurnModel, options: BlendChurnModelsOptions): ChurnModel {
  if (a.algorithm === "blend" || b.algorithm === "blend")
    throw new Error("A blend's members are single models");
  const namesA = a.featureNames;
  const namesB = b.featureNames;
  if (namesA.length !== namesB.length || namesA.some((name, i) => name !== namesB[i]))
    throw new Error("The blended models encode different features: they must be fitted on the same rows");
  const base = !a.pipeline.options.standardize ? a.pipeline : b.pipeline;
  const member = (model: ChurnModel): BlendMember => {
    if (model.pipeline.options.standardize === base.options.standardize)
      return { classifier: model.classifier, shift: null, scale: null };
    const { mean, scale } = model.pipeline.scaling();
    return { classifier: model.classifier, shift: mean, scale };
  };
  const classifier = new BlendClassifier([member(a), member(b)], options.choice.weight, options.choice.space);
  const metadata: ChurnModelMetadata = {
    ...a.metadata,
    algorithm: "blend",
    thresholdObjective: "f1",
    trainedAt: options.trainedAt ?? a.metadata.trainedAt,
    crossValidation: options.crossValidation ?? null,
    importance: [],
  };
  return new ChurnModel({
    schema: a.schema,
    pipeline: base,
    classifier,
    threshold: options.threshold,
    metadata,
  });
}

/** A blend's leaderboard row: an AlgorithmSummary of its cross-fitted out-of-fold predictions. */
export type BlendSummary = Omit<AlgorithmSummary, "algorithm"> & {
  readonly algorithm: "blend";
  /** The members, first one weighted `weight`. */
  readonly members: readonly [Algorithm, Algorithm];
  readonly weight: number;
  readonly space: BlendSpace;
};

export interface BlendMemberInput {
  /** The member's cross-validation (its out-of-fold predictions, on the shared folds). */
  readonly evaluation: AlgorithmEvaluation;
  /** The member fitted on all the rows it was cross-validated on. */
  readonly model: ChurnModel;
}

export interface TrainedBlend {
  readonly model: ChurnModel;
  readonly evaluation: BlendEvaluation;
  readonly summary: BlendSummary;
}

/**
 * The fifth candidate: the blend of two cross-validated, fitted models. Its weight and space are
 * chosen on the members' out-of-fold predictions (never on their training predictions), its CV AUC
 * is cross-fitted (fold k blended with the weight chosen on the other folds), and its threshold is
 * chosen like every model's, on its out-of-fold predictions. Both members must have been
 * cross-validated on the same partitions.
 */
export function trainBlend(
  labels: Labels,
  a: BlendMemberInput,
  b: BlendMemberInput,
  options: { threshold?: ThresholdObjective; trainedAt?: string | null } = {},
): TrainedBlend {
  const pa = a.evaluation.result.partitions;
  const pb = b.evaluation.result.partitions;
  const same =
    pa.length === pb.length &&
    pa.every(
      (p, k) =>
        p.validation.length === pb[k].validation.length &&
        p.validation.every((r, i) => r === pb[k].validation[i]),
    );
  if (!same) throw new Error("The blended models were cross-validated on different folds");
  const evaluation = crossFitBlend(labels, a.evaluation.result.oof, b.evaluation.result.oof, pa);
  const foldSeconds = a.evaluation.result.folds.map(
    (f, k) => f.fitSeconds + (b.evaluation.result.folds[k]?.fitSeconds ?? 0),
  );
  const result: CrossValidationResult = {
    algorithm: a.evaluation.result.algorithm,
    balancing: a.evaluation.result.balancing,
    partitions: pa,
    oof: evaluation.oof,
    folds: a.evaluation.result.folds.map((f, k) => ({
      ...f,
      auc: evaluation.foldAucs[k],
      fitSeconds: foldSeconds[k],
    })),
  };
  const summary: BlendSummary = {
    ...summarizeCrossValidation(result, labels, options.threshold ?? { kind: "f1" }),
    algorithm: "blend",
    members: [a.model.algorithm as Algorithm, b.model.algorithm as Algorithm],
    weight: evaluation.choice.weight,
    space: evaluation.choice.space,
  };
  const model = blendChurnModels(a.model, b.model, {
    choice: evaluation.choice,
    threshold: summary.threshold,
    crossValidation: summary,
    trainedAt: options.trainedAt,
  });
  return { model, evaluation, summary };
}
