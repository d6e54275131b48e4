/**
 * The uplift model: a T-learner ("two-model" approach, Künzel et al. 2019). One churn model is fitted
 * on the customers who got the action, one on the hold-out; a customer's predicted uplift is how much
 * the action lowers their churn risk:
 *
 *   uplift(x) = P(churn | x, no action) − P(churn | x, action)
 *
 * Both models are L2-regularised logistic regressions from lib/ml on the dataset's feature pipeline
 * (standardised numbers, one-hot categories). Logistic regression, not boosting: the hold-out group
 * is small by design (10 % of a campaign), and a regularised linear model stays stable on a hundred
 * rows where trees memorise them. The honest measure of the model is the Qini coefficient of
 * out-of-fold predictions: every customer is scored by models that never saw their outcome.
 */
import { z } from "zod";
import { createFrameBuilder, type DatasetSchema, type Frame, featureColumns } from "../ml/data";
import { FeaturePipeline, type RawRecord } from "../ml/features";
import { LogisticRegression } from "../ml/linear";
import { stratifiedFoldIds } from "../ml/linear/stratified-folds";
import { takeLabels, takeRows } from "../ml/matrix";
import { deriveSeed } from "../ml/random";
import type { Labels, Matrix } from "../ml/types";
import { type QiniSummary, qiniCurve } from "./qini";

export const UPLIFT_MODEL_FORMAT_VERSION = 1;

export interface UpliftRequirements {
  /** Customers with a final outcome (retained or churned) who got the action. */
  minTreated: number;
  /** Customers with a final outcome in the hold-out group. */
  minHoldout: number;
  /** Churned and retained customers each, in each group: a group where nobody churned teaches nothing. */
  minPerOutcome: number;
}

/**
 * Why these numbers: with a 10 % hold-out, 100 hold-out outcomes mean about 1,000 contacted
 * customers; below that the hold-out model's risk is mostly noise and so is the difference.
 * Ten of each outcome per group is the least a logistic regression needs to see both sides, and
 * lets 5-fold cross-validation keep both outcomes in every fold.
 */
export const UPLIFT_REQUIREMENTS: Readonly<UpliftRequirements> = Object.freeze({
  minTreated: 200,
  minHoldout: 100,
  minPerOutcome: 10,
});

export interface UpliftFitOptions {
  requirements?: Partial<UpliftRequirements>;
  /** Cross-validation folds for the out-of-fold Qini. Default 5. */
  folds?: number;
  /** Inverse regularisation of both logistic regressions. Default 0.5. */
  C?: number;
  seed?: number;
}

export interface UpliftGroupCounts {
  treated: number;
  treatedChurned: number;
  holdout: number;
  holdoutChurned: number;
}

export type UpliftFitResult =
  | {
      ok: true;
      model: UpliftModel;
      counts: UpliftGroupCounts;
      /** Qini of out-of-fold predictions (each customer scored by models that did not see them). */
      qini: QiniSummary;
      /** Out-of-fold predicted uplift per training customer, in the input order. */
      outOfFold: Float64Array;
    }
  | { ok: false; counts: UpliftGroupCounts; requirements: UpliftRequirements; message: string };

const classifierJson = z.object({
  algorithm: z.literal("logistic_regression"),
  formatVersion: z.number(),
  params: z.record(z.string(), z.unknown()),
  state: z.unknown(),
});

export const upliftModelJsonSchema = z.object({
  kind: z.literal("uplift_t_learner"),
  formatVersion: z.literal(UPLIFT_MODEL_FORMAT_VERSION),
  pipeline: z.unknown(),
  treated: classifierJson,
  holdout: classifierJson,
});
export type UpliftModelJson = z.infer<typeof upliftModelJsonSchema>;

export interface UpliftPrediction {
  /** P(churn) without the action (hold-out model) and with it (treated model). */
  riskWithout: Float64Array;
  riskWith: Float64Array;
  /** riskWithout − riskWith: positive = the action helps this customer. */
  uplift: Float64Array;
}

/** A fitted T-learner: scores raw customer records; round-trips through JSON. */
export class UpliftModel {
  private constructor(
    private readonly pipeline: FeaturePipeline,
    private readonly treated: LogisticRegression,
    private readonly holdout: LogisticRegression,
  ) {}

  static of(pipeline: FeaturePipeline, treated: LogisticRegression, holdout: LogisticRegression) {
    return new UpliftModel(pipeline, treated, holdout);
  }

  static fromJSON(json: unknown): UpliftModel {
    const parsed = upliftModelJsonSchema.parse(typeof json === "string" ? JSON.parse(json) : json);
    return new UpliftModel(
      FeaturePipeline.fromJSON(parsed.pipeline),
      LogisticRegression.fromJSON(parsed.treated),
      LogisticRegression.fromJSON(parsed.holdout),
    );
  }

  toJSON(): UpliftModelJson {
    return {
      kind: "uplift_t_learner",
      formatVersion: UPLIFT_MODEL_FORMAT_VERSION,
      pipeline: this.pipeline.toJSON(),
      treated: this.treated.toJSON() as UpliftModelJson["treated"],
      holdout: this.holdout.toJSON() as UpliftModelJson["holdout"],
    };
  }

  predictRecords(records: readonly RawRecord[]): UpliftPrediction {
    return this.predictMatrix(this.pipeline.transformRecords(records).matrix);
  }

  predictMatrix(X: Matrix): UpliftPrediction {
    const riskWith = this.treated.predictProba(X);
    const riskWithout = this.holdout.predictProba(X);
    const uplift = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) uplift[i] = riskWithout[i] - riskWith[i];
    return { riskWithout, riskWith, uplift };
  }
}

/** A frame of the schema's feature columns from raw records (values as the CSV had them). */
export function frameFromRecords(schema: DatasetSchema, records: readonly RawRecord[]): Frame {
  const header = featureColumns(schema).map((c) => c.name);
  const builder = createFrameBuilder(header, schema, { columns: header });
  const rows = records.map((r) =>
    header.map((name) => {
      const v = Object.hasOwn(r, name) ? r[name] : null;
      return v === null || v === undefined ? "" : String(v);
    }),
  );
  builder.append(rows);
  return builder.finish();
}

export function countGroups(treated: ArrayLike<boolean>, churned: ArrayLike<boolean>): UpliftGroupCounts {
  const counts = { treated: 0, treatedChurned: 0, holdout: 0, holdoutChurned: 0 };
  for (let i = 0; i < treated.length; i++) {
    if (treated[i]) {
      counts.treated++;
      if (churned[i]) counts.treatedChurned++;
    } else {
      counts.holdout++;
      if (churned[i]) counts.holdoutChurned++;
    }
  }
  return counts;
}

/** Plain words for what is missing, or null when the outcomes are enough. */
export function missingOutcomesMessage(counts: UpliftGroupCounts, req: UpliftRequirements): string | null {
  const problems: string[] = [];
  if (counts.treated < req.minTreated)
    problems.push(`${counts.treated} of ${req.minTreated} customers who got an action`);
  if (counts.holdout < req.minHoldout)
    problems.push(`${counts.holdout} of ${req.minHoldout} hold-out customers`);
  if (problems.length) {
    return (
      `Record outcomes for at least ${req.minTreated} customers who got an action and ` +
      `${req.minHoldout} hold-out customers (retained or churned) to learn who is worth contacting; ` +
      `so far: ${problems.join(" and ")}.`
    );
  }
  const sides: [string, number, number][] = [
    ["customers who got an action", counts.treatedChurned, counts.treated - counts.treatedChurned],
    ["hold-out customers", counts.holdoutChurned, counts.holdout - counts.holdoutChurned],
  ];
  for (const [group, churned, retained] of sides) {
    if (churned < req.minPerOutcome || retained < req.minPerOutcome) {
      return (
        `Among the ${group}, ${churned} churned and ${retained} stayed: the model needs at least ` +
        `${req.minPerOutcome} of each to tell who the action helps.`
      );
    }
  }
  return null;
}

function groupFolds(treated: ArrayLike<boolean>, y: Labels, folds: number, seed: number): Int32Array {
  const ids = new Int32Array(y.length);
  for (const [arm, flag] of [
    [0, true],
    [1, false],
  ] as const) {
    const members: number[] = [];
    for (let i = 0; i < y.length; i++) if (treated[i] === flag) members.push(i);
    const armIds = stratifiedFoldIds(takeLabels(y, members), folds, deriveSeed(seed, arm));
    members.forEach((row, k) => {
      ids[row] = armIds[k];
    });
  }
  return ids;
}

function fitArm(X: Matrix, y: Labels, rows: number[], C: number): LogisticRegression {
  return new LogisticRegression({ C }).fit(takeRows(X, rows), takeLabels(y, rows));
}

/**
 * Fits the T-learner on customers with a final outcome: `treated[i]` = got the action,
 * `churned[i]` = churned (false = retained). Returns why not when the outcomes are too few.
 */
export function fitUpliftModel(
  schema: DatasetSchema,
  records: readonly RawRecord[],
  treated: readonly boolean[],
  churned: readonly boolean[],
  options: UpliftFitOptions = {},
): UpliftFitResult {
  const n = records.length;
  if (treated.length !== n || churned.length !== n)
    throw new RangeError(`Got ${n} customers, ${treated.length} groups and ${churned.length} outcomes`);
  const requirements = { ...UPLIFT_REQUIREMENTS, ...options.requirements };
  const folds = options.folds ?? 5;
  const C = options.C ?? 0.5;
  const seed = options.seed ?? 1;
  const counts = countGroups(treated, churned);
  const message = missingOutcomesMessage(counts, requirements);
  if (message) return { ok: false, counts, requirements, message };

  // The pipeline learns medians, categories and scaling from the features only (no outcome), so
  // fitting it on every row leaks nothing into the out-of-fold scores.
  const frame = frameFromRecords(schema, records);
  const pipeline = FeaturePipeline.fromSchema(schema, { standardize: true }).fit(frame);
  const X = pipeline.transform(frame);
  const y: Labels = Uint8Array.from(churned, (c) => (c ? 1 : 0));

  const foldIds = groupFolds(treated, y, folds, seed);
  const outOfFold = new Float64Array(n);
  for (let f = 0; f < folds; f++) {
    const trainT: number[] = [];
    const trainC: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) {
      if (foldIds[i] === f) test.push(i);
      else (treated[i] ? trainT : trainC).push(i);
    }
    if (!test.length) continue;
    const model = UpliftModel.of(pipeline, fitArm(X, y, trainT, C), fitArm(X, y, trainC, C));
    const { uplift } = model.predictMatrix(takeRows(X, test));
    test.forEach((row, k) => {
      outOfFold[row] = uplift[k];
    });
  }
  const all = Array.from({ length: n }, (_, i) => i);
  const model = UpliftModel.of(
    pipeline,
    fitArm(
      X,
      y,
      all.filter((i) => treated[i]),
      C,
    ),
    fitArm(
      X,
      y,
      all.filter((i) => !treated[i]),
      C,
    ),
  );
  const retained = churned.map((c) => !c);
  return { ok: true, model, counts, qini: qiniCurve(outOfFold, treated, retained), outOfFold };
}

/**
 * The contact order by expected saved value: predicted uplift × customer value, highest first
 * (indices into the arrays). Customers the action is predicted not to help come last.
 */
export function rankByUpliftValue(uplift: ArrayLike<number>, values: ArrayLike<number>): number[] {
  const n = uplift.length;
  if (values.length !== n) throw new RangeError(`Got ${n} uplifts and ${values.length} values`);
  return Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => uplift[b] * values[b] - uplift[a] * values[a] || a - b,
  );
}
