/**
 * A blend of two fitted models: P = sigmoid(w logit(pA) + (1 - w) logit(pB)) ("logit" space) or
 * P = w pA + (1 - w) pB ("probability" space), with the weight and space chosen on out-of-fold
 * predictions (simple stacking with a one-parameter combiner, Wolpert 1992; Breiman 1996).
 *
 * Explanations stay exact: the members' SHAP values, taken in the blend's own space (log-odds or
 * probability, converted with explain/output-space.ts), combine with the same weights, so
 * base + sum = the blended output, as for every other classifier (SHAP values are linear in the
 * model: Lundberg & Lee 2017, property "linearity" of Shapley values).
 */
import { z } from "zod";
import type { Partition } from "../evaluate/split";
import { logit, sigmoid, toMarginSpace, toProbabilitySpace } from "../explain/output-space";
import { takeLabels } from "../matrix";
import { rocAuc } from "../metrics";
import type { Classifier, Explanation, Labels, Matrix, SerializedClassifier } from "../types";

export const BLEND_SPACES = ["logit", "probability"] as const;
export type BlendSpace = (typeof BLEND_SPACES)[number];

/** Weights tried for the first member: 0, 0.05, ..., 1 (the ends are the members alone). */
export const BLEND_WEIGHT_STEPS = 20;

export interface BlendChoice {
  /** Weight of the first member (the second gets 1 - weight). */
  readonly weight: number;
  readonly space: BlendSpace;
  /** AUC of the blended predictions on the rows the choice was made on. */
  readonly auc: number;
}

export function blendProbabilities(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  weight: number,
  space: BlendSpace,
): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    out[i] =
      space === "logit"
        ? sigmoid(weight * logit(a[i]) + (1 - weight) * logit(b[i]))
        : weight * a[i] + (1 - weight) * b[i];
  }
  return out;
}

/**
 * The weight and space with the best AUC of the blended predictions `a` and `b` of `rows` (all
 * rows by default). Pass out-of-fold predictions: on in-sample predictions an overfitted member
 * looks perfect and takes all the weight. Ties keep the weight nearest an even mix, then "logit".
 */
export function chooseBlend(
  y: Labels,
  a: Float64Array,
  b: Float64Array,
  rows?: ArrayLike<number>,
): BlendChoice {
  const ys = rows ? takeLabels(y, rows) : y;
  const as = rows ? takeLabels(a, rows) : a;
  const bs = rows ? takeLabels(b, rows) : b;
  let best: BlendChoice | null = null;
  for (const space of BLEND_SPACES) {
    for (let k = 0; k <= BLEND_WEIGHT_STEPS; k++) {
      const weight = k / BLEND_WEIGHT_STEPS;
      const auc = rocAuc(ys, blendProbabilities(as, bs, weight, space));
      const nearer = best !== null && Math.abs(weight - 0.5) < Math.abs(best.weight - 0.5);
      if (best === null || auc > best.auc + 1e-12 || (Math.abs(auc - best.auc) <= 1e-12 && nearer))
        best = { weight, space, auc };
    }
  }
  if (!best) throw new Error("No blend weight to choose from");
  return best;
}

export interface BlendEvaluation {
  /** Chosen on all out-of-fold predictions: what the deployed blend uses. */
  readonly choice: BlendChoice;
  /**
   * Cross-fitted blended predictions: the rows of fold k blended with the weight chosen on the
   * other folds' out-of-fold predictions, so no row helps choose the weight it is judged with.
   */
  readonly oof: Float64Array;
  readonly foldAucs: readonly number[];
  readonly foldChoices: readonly BlendChoice[];
  readonly cvAuc: number;
  readonly cvAucStd: number;
}

/** Evaluates a blend of two members' out-of-fold predictions on the folds that produced them. */
export function crossFitBlend(
  y: Labels,
  oofA: Float64Array,
  oofB: Float64Array,
  partitions: readonly Partition[],
): BlendEvaluation {
  if (oofA.length !== y.length || oofB.length !== y.length)
    throw new Error("The members' out-of-fold predictions must cover every row");
  const oof = new Float64Array(y.length).fill(Number.NaN);
  const foldAucs: number[] = [];
  const foldChoices: BlendChoice[] = [];
  for (const { train, validation } of partitions) {
    // The other folds' rows: within CV partitions, a fold's training rows are exactly those.
    const choice = chooseBlend(y, oofA, oofB, train);
    const blended = blendProbabilities(
      takeLabels(oofA, validation),
      takeLabels(oofB, validation),
      choice.weight,
      choice.space,
    );
    for (let i = 0; i < validation.length; i++) oof[validation[i]] = blended[i];
    foldAucs.push(rocAuc(takeLabels(y, validation), blended));
    foldChoices.push(choice);
  }
  const mean = foldAucs.reduce((s, v) => s + v, 0) / foldAucs.length;
  const std = Math.sqrt(foldAucs.reduce((s, v) => s + (v - mean) ** 2, 0) / foldAucs.length);
  return { choice: chooseBlend(y, oofA, oofB), oof, foldAucs, foldChoices, cvAuc: mean, cvAucStd: std };
}

/** A fitted member and how to map the blend's encoded input to the member's own input. */
export interface BlendMember {
  readonly classifier: Classifier;
  /** member input = (blend input - shift) / scale, per column; null = the same input. */
  readonly shift: Float64Array | null;
  readonly scale: Float64Array | null;
}

const FORMAT_VERSION = 1;

const blendJsonSchema = z.object({
  algorithm: z.literal("blend"),
  formatVersion: z.literal(FORMAT_VERSION),
  params: z.object({
    weight: z.number().min(0).max(1),
    space: z.enum(BLEND_SPACES),
    members: z.array(z.string()).length(2),
  }),
  state: z.object({
    members: z
      .array(
        z.object({
          classifier: z.custom<SerializedClassifier>((v) => typeof v === "object" && v !== null),
          shift: z.array(z.number()).nullable(),
          scale: z.array(z.number()).nullable(),
        }),
      )
      .length(2),
  }),
});

function mapInput(X: Matrix, member: BlendMember): Matrix {
  const { shift, scale } = member;
  if (!shift || !scale) return X;
  if (shift.length !== X.cols) throw new Error(`Blend member expects ${shift.length} columns, got ${X.cols}`);
  const data = new Float64Array(X.data.length);
  for (let r = 0; r < X.rows; r++) {
    const at = r * X.cols;
    for (let c = 0; c < X.cols; c++) data[at + c] = (X.data[at + c] - shift[c]) / scale[c];
  }
  return { data, rows: X.rows, cols: X.cols };
}

/**
 * The blend as a Classifier over one encoded input, so a ChurnModel scores, explains and stores it
 * like any single model. It is assembled from fitted members and never fitted itself.
 */
export class BlendClassifier implements Classifier {
  readonly algorithm = "blend" as const;
  readonly members: readonly [BlendMember, BlendMember];
  readonly weight: number;
  readonly space: BlendSpace;

  constructor(members: readonly [BlendMember, BlendMember], weight: number, space: BlendSpace) {
    if (!(weight >= 0 && weight <= 1)) throw new Error(`Blend weight must be in [0, 1], got ${weight}`);
    this.members = members;
    this.weight = weight;
    this.space = space;
  }

  fit(): this {
    throw new Error("A blend is assembled from fitted models (blendChurnModels); it is not fitted itself");
  }

  predictProba(X: Matrix): Float64Array {
    const [a, b] = this.members;
    return blendProbabilities(
      a.classifier.predictProba(mapInput(X, a)),
      b.classifier.predictProba(mapInput(X, b)),
      this.weight,
      this.space,
    );
  }

  explain(X: Matrix): Explanation {
    const convert = this.space === "logit" ? toMarginSpace : toProbabilitySpace;
    const [ea, eb] = this.members.map((m) => convert(m.classifier.explain(mapInput(X, m))));
    const w = this.weight;
    const values = new Float64Array(ea.values.length);
    for (let i = 0; i < values.length; i++) values[i] = w * ea.values[i] + (1 - w) * eb.values[i];
    return {
      space: this.space === "logit" ? "margin" : "probability",
      baseValue: w * ea.baseValue + (1 - w) * eb.baseValue,
      values,
      rows: ea.rows,
      cols: ea.cols,
    };
  }

  toJSON(): SerializedClassifier {
    return {
      algorithm: "blend",
      formatVersion: FORMAT_VERSION,
      params: {
        weight: this.weight,
        space: this.space,
        members: this.members.map((m) => m.classifier.algorithm),
      },
      state: {
        members: this.members.map((m) => ({
          classifier: m.classifier.toJSON(),
          shift: m.shift ? Array.from(m.shift) : null,
          scale: m.scale ? Array.from(m.scale) : null,
        })),
      },
    };
  }

  /** `restore` rebuilds a member (classifierFromJSON; passed in to keep the modules acyclic). */
  static fromJSON(json: unknown, restore: (member: SerializedClassifier) => Classifier): BlendClassifier {
    const parsed = blendJsonSchema.parse(json);
    const [a, b] = parsed.state.members.map((m) => ({
      classifier: restore(m.classifier),
      shift: m.shift ? Float64Array.from(m.shift) : null,
      scale: m.scale ? Float64Array.from(m.scale) : null,
    }));
    return new BlendClassifier([a, b], parsed.params.weight, parsed.params.space);
  }
}
