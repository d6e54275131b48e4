/**
 * The CPU-heavy bodies of the training steps as pure functions of plain data: no database, no
 * storage, no Next.js. They run in a worker thread (compute-worker.ts, through compute-pool.ts) so
 * that the web server's event loop stays free while a model trains, or in-process when workers
 * are unavailable (tests, a platform without worker threads). Inputs and outputs are structured-
 * clone-safe (strings, numbers, arrays, plain objects), and the same input gives the same output
 * wherever it runs: everything is seeded.
 */

import { recordOfRow } from "@/lib/column-record";
import {
  type AlgorithmEvaluation,
  type BlendSummary,
  ChurnModel,
  consensusChoice,
  crossValidateAlgorithm,
  evaluateBinary,
  evaluationCurves,
  RECOMMENDED_ALGORITHM_OPTIONS,
  selectRows,
  stratifiedKFold,
  type TuningBudget,
  trainBlend,
  trainChurnModel,
  tunedOptions,
} from "@/lib/ml";
import type { BalancingMethod } from "@/lib/ml/balance";
import { buildTrainingSet, type DatasetSchema, type TrainingSet } from "@/lib/ml/data";
import {
  crossValidationRows,
  finalFitRows,
  type Partition,
  stratifiedSplit,
  tuningPlan,
} from "@/lib/ml/evaluate";
import type { RawRecord } from "@/lib/ml/features";
import { takeLabels } from "@/lib/ml/matrix";
import { createRng, deriveSeed, shuffleInPlace } from "@/lib/ml/random";
import type { Algorithm } from "@/lib/ml/types";
import type { Playbook } from "@/lib/retention";
import type { ModelRef } from "../batch-scoring/model";
import { type ScoredRow, type ScorePart, scorePart } from "../batch-scoring/score-rows";
import { Predictor } from "../predictions/predictor";

/**
 * Held-out rows explained for each model's global importance. Exact explainers (linear SHAP,
 * TreeSHAP, the linear SVM's) take well under 1 ms a row; the RBF SVM's sampling Shapley ~25 ms a
 * row, and its column ranking was already the same top four at 50, 100 and 200 rows.
 */
export const EXPLAIN_SAMPLE_ROWS: Readonly<Record<Algorithm, number>> = Object.freeze({
  logistic_regression: 200,
  random_forest: 200,
  gradient_boosting: 200,
  svm: 200,
});
/** A blend explains both members (exact explainers): the same sample as the single models. */
export const BLEND_EXPLAIN_SAMPLE_ROWS = 200;
/** Rows explained when the SVM uses the RBF kernel (sampling Shapley). */
export const RBF_SVM_EXPLAIN_SAMPLE_ROWS = 50;
/** Bins of the held-out score histogram behind the threshold slider (0.01 wide). */
export const SCORE_HISTOGRAM_BINS = 100;

/** A dataset version's rows as loaded from the database (what every computation starts from). */
export interface ComputeTable {
  schema: DatasetSchema;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}

export interface SplitParams {
  seed: number;
  testFraction: number;
}

export interface PreparedData {
  training: TrainingSet;
  split: Partition;
  trainLabels: Uint8Array;
  testLabels: Uint8Array;
}

export function splitFor(labels: Uint8Array, params: SplitParams): Partition {
  return stratifiedSplit(labels, { testFraction: params.testFraction, seed: params.seed });
}

export function prepareData(table: ComputeTable, params: SplitParams, training?: TrainingSet): PreparedData {
  const set = training ?? buildTrainingSet({ columns: table.columns, rows: table.rows }, table.schema);
  const split = splitFor(set.labels, params);
  return {
    training: set,
    split,
    trainLabels: takeLabels(set.labels, split.train),
    testLabels: takeLabels(set.labels, split.validation),
  };
}

/** A seeded sample of at most `size` held-out rows (indices into the training set), ascending. */
export function heldOutSample(split: Partition, size: number, seed: number): Uint32Array {
  const rows = Uint32Array.from(split.validation);
  if (rows.length <= size) return rows;
  return shuffleInPlace(rows, createRng(deriveSeed(seed, 7)))
    .slice(0, size)
    .sort();
}

// ─── one algorithm: cross-validation, final fit, held-out evaluation ──────────────────────────

export interface TrainInput {
  algorithm: Algorithm;
  seed: number;
  testFraction: number;
  folds: number;
  balancing: BalancingMethod;
  /** The run's creation time (ISO): recorded in the model, so a retried step writes the same file. */
  trainedAt: string;
  /** Hyper-parameter search budget (nested inside the CV folds, then on the whole training part). */
  tuning?: TuningBudget;
}

/** What the search chose: stored in the model's params and shown on the model page. */
export interface TuningSummary {
  budget: TuningBudget;
  /** Options that differ from the recommended ones ({} = the recommended ones won). */
  chosen: Record<string, unknown>;
  /** The algorithm's options in full, as fitted. */
  options: Record<string, unknown>;
  /** Inner AUC of the chosen setting in the first training fold that chose it (the tuning score). */
  innerAuc: number | null;
  candidates: number;
  innerFolds: number;
  /** What the nested search chose inside each cross-validation fold. */
  perFold: Record<string, unknown>[];
  skipped: string | null;
}

/** The summary of a search the data size ruled out: the recommended options, and why. */
function skippedTuning(budget: TuningBudget, algorithm: Algorithm, reason: string): TuningSummary {
  return {
    budget,
    chosen: {},
    options: { ...(RECOMMENDED_ALGORITHM_OPTIONS[algorithm] ?? {}) },
    innerAuc: null,
    candidates: 0,
    innerFolds: 0,
    perFold: [],
    skipped: reason,
  };
}

export interface TrainOutput {
  algorithm: Algorithm;
  /** The serialised ChurnModel, exactly the artifact's bytes once UTF-8 encoded. */
  modelJson: string;
  threshold: number;
  classifierParams: unknown;
  featurePipelineOptions: unknown;
  encodedFeatures: number;
  cv: ReturnType<typeof crossValidateAlgorithm>["summary"] & { foldAucs: number[] };
  test: ReturnType<typeof evaluateBinary>;
  curves: ReturnType<typeof evaluationCurves>;
  scoreHistogram: { binWidth: number; churned: number[]; retained: number[] };
  trainingRows: number;
  testRows: number;
  /** Training rows the cross-validation ran on (fewer than trainingRows on large data: a stratified sample). */
  crossValidationRows: number;
  /** Rows the final fit used (the SVM and logistic regression subsample large data). */
  finalFitRows: number;
  finalFitSeconds: number;
  trainingSeconds: number;
  tuning: TuningSummary | null;
  /** Out-of-fold P(churn) of the cross-validated rows (crossValidationRows of them; the blend step's input); not stored with the model. */
  oof: number[];
}

/**
 * Cross-validates the algorithm's whole pipeline on the training part, fits it on the whole
 * training part with the threshold chosen on the out-of-fold predictions, and evaluates the model
 * as stored (deserialised from its JSON) on the held-out part.
 */
export function trainAlgorithm(data: PreparedData, table: ComputeTable, input: TrainInput): TrainOutput {
  const { algorithm } = input;
  const schema = table.schema;
  const trainFrame = selectRows(data.training.frame, data.split.train);
  const started = performance.now();
  // Large training parts: CV on a stratified subsample, a bounded search (large-data.ts); the
  // final fit uses all rows.
  const plan = tuningPlan(input.tuning, data.trainLabels.length);
  const budget = plan.budget ?? undefined;
  const cvRows = crossValidationRows(data.trainLabels, input.seed);
  const cvFrame = cvRows ? selectRows(trainFrame, cvRows) : trainFrame;
  const cvLabels = cvRows ? takeLabels(data.trainLabels, cvRows) : data.trainLabels;
  const evaluation = crossValidateAlgorithm(schema, cvFrame, cvLabels, algorithm, {
    algorithmOptions: RECOMMENDED_ALGORITHM_OPTIONS,
    balancing: input.balancing,
    folds: input.folds,
    seed: input.seed,
    threshold: { kind: "f1" },
    tuning: budget,
    tuningMaxTreeDepth: plan.maxTreeDepth,
  });
  // The deployed model's options: the setting most training folds' searches chose (the CV above
  // judged the search itself, fold by fold, on rows it never saw); no second search on all rows.
  const finalTuning = budget && evaluation.tuning?.length ? consensusChoice(evaluation.tuning) : null;
  const algorithmOptions = finalTuning
    ? tunedOptions(RECOMMENDED_ALGORITHM_OPTIONS, finalTuning)
    : RECOMMENDED_ALGORITHM_OPTIONS;
  const fitStarted = performance.now();
  const fitted = trainChurnModel({
    schema,
    frame: trainFrame,
    labels: data.trainLabels,
    rows: finalFitRows(data.trainLabels, algorithm, input.seed) ?? undefined,
    algorithm,
    algorithmOptions,
    balancing: input.balancing,
    // Chosen on the out-of-fold predictions above: the same rule trainChurnModel would apply,
    // without cross-validating a second time.
    threshold: evaluation.summary.threshold,
    folds: input.folds,
    seed: input.seed,
    trainedAt: input.trainedAt,
    importanceRows: 0,
  });
  const finalFitSeconds = (performance.now() - fitStarted) / 1000;
  const trainingSeconds = (performance.now() - started) / 1000;
  const model = new ChurnModel({
    schema: fitted.schema,
    pipeline: fitted.pipeline,
    classifier: fitted.classifier,
    threshold: fitted.threshold,
    metadata: { ...fitted.metadata, thresholdObjective: "f1", crossValidation: evaluation.summary },
  });
  const modelJson = JSON.stringify(model.toJSON());
  // Test metrics of the model exactly as stored (what scoring and the API will load).
  const stored = ChurnModel.fromJSON(modelJson);
  const proba = stored.predictFrame(data.training.frame, data.split.validation);
  return {
    algorithm,
    modelJson,
    threshold: stored.threshold,
    classifierParams: model.classifier.toJSON().params,
    featurePipelineOptions: model.pipeline.toJSON().options,
    encodedFeatures: model.featureNames.length,
    cv: { ...evaluation.summary, foldAucs: evaluation.result.folds.map((f) => f.auc) },
    test: evaluateBinary(data.testLabels, proba, stored.threshold),
    curves: evaluationCurves(data.testLabels, proba),
    scoreHistogram: scoreHistogram(data.testLabels, proba),
    trainingRows: data.split.train.length,
    testRows: data.split.validation.length,
    crossValidationRows: cvLabels.length,
    finalFitRows: fitted.metadata.trainingRows,
    finalFitSeconds,
    trainingSeconds,
    tuning: plan.skipped
      ? skippedTuning(input.tuning as TuningBudget, algorithm, plan.skipped)
      : budget && finalTuning
        ? {
            budget,
            chosen: { ...finalTuning.chosen },
            options: { ...finalTuning.options },
            innerAuc: Number.isNaN(finalTuning.innerAuc) ? null : finalTuning.innerAuc,
            candidates: finalTuning.trials.length,
            innerFolds: finalTuning.innerFolds,
            perFold: (evaluation.tuning ?? []).map((t) => ({ ...t.chosen })),
            skipped: finalTuning.skipped ?? null,
          }
        : null,
    oof: Array.from(evaluation.result.oof),
  };
}

// ─── the fifth candidate: a blend of the two best models ───────────────────────────────────────

export interface BlendMemberTrained {
  algorithm: Algorithm;
  modelJson: string;
  /** The member's out-of-fold predictions of the training part (TrainOutput.oof). */
  oof: number[];
  foldAucs: number[];
  fitSeconds: number;
}

export interface BlendInput {
  members: [BlendMemberTrained, BlendMemberTrained];
  seed: number;
  folds: number;
  trainedAt: string;
}

export interface BlendOutput
  extends Omit<TrainOutput, "algorithm" | "cv" | "tuning" | "oof" | "finalFitRows"> {
  algorithm: "blend";
  cv: BlendSummary & { foldAucs: number[] };
  blend: { members: [Algorithm, Algorithm]; weight: number; space: string };
}

/**
 * Blends the two given models (weight on their out-of-fold predictions, CV AUC cross-fitted on the
 * same folds, threshold on the blend's out-of-fold predictions) and evaluates the stored blend on
 * the held-out part like any model. The members are reused as fitted: nothing is trained again.
 */
export function blendAlgorithms(data: PreparedData, input: BlendInput): BlendOutput {
  const started = performance.now();
  // The members' out-of-fold predictions cover the rows their cross-validation ran on: the same
  // seeded subsample on large data, so the blend is weighted and cross-fitted on exactly those.
  const cvRows = crossValidationRows(data.trainLabels, input.seed);
  const cvLabels = cvRows ? takeLabels(data.trainLabels, cvRows) : data.trainLabels;
  for (const m of input.members) {
    if (m.oof.length !== cvLabels.length)
      throw new Error(
        `${m.algorithm}'s out-of-fold predictions cover ${m.oof.length} rows, expected ${cvLabels.length}`,
      );
  }
  const partitions = stratifiedKFold(cvLabels, { folds: input.folds, seed: input.seed });
  const asMember = (m: BlendMemberTrained) => {
    const model = ChurnModel.fromJSON(m.modelJson);
    const evaluation = {
      result: {
        algorithm: m.algorithm,
        balancing: model.metadata.balancing,
        partitions,
        oof: Float64Array.from(m.oof),
        folds: partitions.map((p, fold) => ({
          fold,
          trainRows: p.train.length,
          fittedRows: p.train.length,
          validationRows: p.validation.length,
          auc: m.foldAucs[fold],
          fitSeconds: m.fitSeconds,
          prepareSeconds: 0,
        })),
      },
    } as unknown as AlgorithmEvaluation; // trainBlend reads the result only
    return { evaluation, model };
  };
  const trained = trainBlend(cvLabels, asMember(input.members[0]), asMember(input.members[1]), {
    trainedAt: input.trainedAt,
  });
  const modelJson = JSON.stringify(trained.model.toJSON());
  const stored = ChurnModel.fromJSON(modelJson);
  const proba = stored.predictFrame(data.training.frame, data.split.validation);
  const seconds = (performance.now() - started) / 1000;
  return {
    algorithm: "blend",
    modelJson,
    threshold: stored.threshold,
    classifierParams: stored.classifier.toJSON().params,
    featurePipelineOptions: stored.pipeline.toJSON().options,
    encodedFeatures: stored.featureNames.length,
    cv: { ...trained.summary, foldAucs: [...trained.evaluation.foldAucs] },
    test: evaluateBinary(data.testLabels, proba, stored.threshold),
    curves: evaluationCurves(data.testLabels, proba),
    scoreHistogram: scoreHistogram(data.testLabels, proba),
    trainingRows: data.split.train.length,
    testRows: data.split.validation.length,
    crossValidationRows: cvLabels.length,
    // Members fit once each; a tie on CV AUC goes to the single (faster) model.
    finalFitSeconds: input.members[0].fitSeconds + input.members[1].fitSeconds,
    trainingSeconds: seconds,
    blend: {
      members: [input.members[0].algorithm, input.members[1].algorithm],
      weight: trained.evaluation.choice.weight,
      space: trained.evaluation.choice.space,
    },
  };
}

/** Held-out scores bucketed by class in 0.01-wide bins: the confusion matrix at any 0.01 threshold. */
export function scoreHistogram(y: Uint8Array, proba: ArrayLike<number>) {
  const churned = new Array<number>(SCORE_HISTOGRAM_BINS).fill(0);
  const retained = new Array<number>(SCORE_HISTOGRAM_BINS).fill(0);
  for (let i = 0; i < y.length; i++) {
    const bin = Math.min(SCORE_HISTOGRAM_BINS - 1, Math.max(0, Math.floor(proba[i] * SCORE_HISTOGRAM_BINS)));
    (y[i] === 1 ? churned : retained)[bin] += 1;
  }
  return { binWidth: 1 / SCORE_HISTOGRAM_BINS, churned, retained };
}

// ─── global importance of a stored model ───────────────────────────────────────────────────────

export interface ImportanceInput {
  modelJson: string;
  seed: number;
}

export interface ImportanceOutput {
  importance: { column: string; value: number }[];
  sampleRows: number;
}

export function explainSampleRows(model: ChurnModel): number {
  const json = model.classifier.toJSON() as { params?: { kernel?: unknown } };
  return model.algorithm === "svm" && json.params?.kernel === "rbf"
    ? RBF_SVM_EXPLAIN_SAMPLE_ROWS
    : model.algorithm === "blend"
      ? BLEND_EXPLAIN_SAMPLE_ROWS
      : EXPLAIN_SAMPLE_ROWS[model.algorithm];
}

/**
 * Mean |SHAP| per original column on a seeded sample of held-out customers ("split": engineered
 * features share out to their sources), in log-odds: the scale on which contributions of
 * different columns add up. A retried step explains the same customers.
 */
export function modelImportance(data: PreparedData, input: ImportanceInput): ImportanceOutput {
  const model = ChurnModel.fromJSON(input.modelJson);
  const sample = heldOutSample(data.split, explainSampleRows(model), input.seed);
  const importance = model
    .globalImportance(data.training.frame, sample, { engineered: "split" })
    .map((c) => ({ column: c.column, value: c.meanAbs }));
  return { importance, sampleRows: sample.length };
}

// ─── risk scores and drivers of customers ──────────────────────────────────────────────────────

/** Customers per score task: several tasks share the workers, and each reports back quickly. */
export const SCORE_TASK_ROWS = 1000;
/** Drivers kept per customer (scores.drivers holds the top three). */
export const SCORED_DRIVERS = 3;

export interface ScoreInput {
  modelJson: string;
  /** Table rows [start, end). */
  start: number;
  end: number;
}

export interface ScoreOutput {
  start: number;
  riskScores: number[];
  /** Per customer, the columns that moved its probability most, largest |probability| first. */
  drivers: { name: string; logOdds: number; probability: number }[][];
}

/** A row as the model reads it; null prototype, since a column may be called "__proto__". */
export function recordOf(columns: readonly string[], row: readonly string[]): RawRecord {
  return recordOfRow(columns, row);
}

/**
 * Explains rows [start, end) of the table with engineered features split among their source
 * columns, keeping each customer's risk score and its SCORED_DRIVERS strongest columns in the
 * order of server/services/scoring's topDrivers (|probability| descending, then name).
 */
export function scoreRows(table: ComputeTable, input: ScoreInput): ScoreOutput {
  const model = ChurnModel.fromJSON(input.modelJson);
  const records: RawRecord[] = [];
  for (let i = input.start; i < input.end; i++) records.push(recordOf(table.columns, table.rows[i]));
  const explained = model.explain(records, { engineered: "split" });
  return {
    start: input.start,
    riskScores: explained.map((e) => e.riskScore),
    drivers: explained.map((e) =>
      [...e.columns]
        .sort((a, b) => Math.abs(b.probability) - Math.abs(a.probability) || a.name.localeCompare(b.name))
        .slice(0, SCORED_DRIVERS)
        .map((c) => ({ name: c.name, logOdds: c.logOdds, probability: c.probability })),
    ),
  };
}

// ─── batch scoring of a file's rows ─────────────────────────────────────────────────────────────

/**
 * Scores part of a chunk of a file (batch scoring) with a model sent as its JSON: the one task
 * without a training table. A worker keeps the last models it built (parsing one and building its
 * TreeSHAP tables costs tens of milliseconds), keyed by artifact and risk bands.
 */
export interface BatchPartInput {
  ref: ModelRef;
  modelJson: string;
  playbook: Playbook;
  part: ScorePart;
}

const batchPredictors = new Map<string, Predictor>();
const BATCH_PREDICTORS = 2;

function scoreBatchPart(input: BatchPartInput): ScoredRow[] {
  const { ref } = input;
  const key = `${ref.modelId}:${ref.artifactSha256}:${ref.bands.medium}:${ref.bands.high}`;
  let predictor = batchPredictors.get(key);
  if (!predictor) {
    predictor = new Predictor({ ...ref, model: ChurnModel.fromJSON(input.modelJson) }, ref.bands);
    batchPredictors.set(key, predictor);
    while (batchPredictors.size > BATCH_PREDICTORS)
      batchPredictors.delete(batchPredictors.keys().next().value as string);
  }
  return scorePart(predictor, input.playbook, input.part);
}

// ─── the task table shared by the worker and the in-process path ──────────────────────────────

export interface ComputeTasks {
  train: { input: TrainInput; output: TrainOutput };
  blend: { input: BlendInput; output: BlendOutput };
  importance: { input: ImportanceInput; output: ImportanceOutput };
  score: { input: ScoreInput; output: ScoreOutput };
  scoreBatchPart: { input: BatchPartInput; output: ScoredRow[] };
}
export type ComputeTaskName = keyof ComputeTasks;

/** What training tasks need besides their input: the table and how it is split. */
export interface TaskContext {
  table: ComputeTable;
  split: SplitParams;
  /** The prepared data when the caller already has it (in-process); workers prepare their own. */
  prepared?: PreparedData;
}

export function runComputeTask<K extends ComputeTaskName>(
  task: K,
  context: TaskContext | null,
  input: ComputeTasks[K]["input"],
  prepare: (context: TaskContext) => PreparedData = (c) => c.prepared ?? prepareData(c.table, c.split),
): ComputeTasks[K]["output"] {
  if (task === "scoreBatchPart") return scoreBatchPart(input as BatchPartInput) as ComputeTasks[K]["output"];
  if (!context) throw new Error(`The ${String(task)} task needs a training table`);
  switch (task) {
    case "train":
      return trainAlgorithm(
        prepare(context),
        context.table,
        input as TrainInput,
      ) as ComputeTasks[K]["output"];
    case "blend":
      return blendAlgorithms(prepare(context), input as BlendInput) as ComputeTasks[K]["output"];
    case "importance":
      return modelImportance(prepare(context), input as ImportanceInput) as ComputeTasks[K]["output"];
    case "score":
      return scoreRows(context.table, input as ScoreInput) as ComputeTasks[K]["output"];
  }
  throw new Error(`Unknown compute task ${String(task)}`);
}
