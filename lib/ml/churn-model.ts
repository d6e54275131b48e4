/**
 * The deployable churn model: the data set's schema, the fitted feature pipeline, the fitted
 * classifier, the decision threshold and metadata, in one object that scores raw customer
 * records (the REST API, the what-if form, batch scoring) and round-trips through JSON with
 * identical predictions. Training jobs build one with trainChurnModel; the API restores it with
 * ChurnModel.fromJSON.
 */
import { z } from "zod";
import type { BalancingMethod, SmoteOptions } from "./balance";
import { type DatasetSchema, type Frame, parseDatasetSchema, selectRows } from "./data";
import {
  type AlgorithmOptions,
  classifierFromJSON,
  createClassifier,
  pipelineOptionsFor,
  RECOMMENDED_ALGORITHM_OPTIONS,
} from "./evaluate/algorithms";
import { balanceStage } from "./evaluate/balancing";
import { crossValidateAlgorithm } from "./evaluate/compare-algorithms";
import type { AlgorithmSummary } from "./evaluate/summarize";
import {
  type ColumnImportance,
  foldContributions,
  logit,
  meanAbsoluteImportance,
  toMarginSpace,
  toProbabilitySpace,
} from "./explain";
import { FeaturePipeline, type FeaturePipelineOptions, type RawRecord, type RecordWarning } from "./features";
import type { ThresholdObjective } from "./metrics";
import { createRng, deriveSeed, shuffleInPlace } from "./random";
import type {
  Algorithm,
  Classifier,
  Explanation,
  Labels,
  Matrix,
  ModelAlgorithm,
  SerializedClassifier,
} from "./types";

export const CHURN_MODEL_FORMAT_VERSION = 1;

export interface ChurnModelMetadata {
  readonly algorithm: ModelAlgorithm;
  /** Target column and the value meaning "churned". */
  readonly target: string;
  readonly positiveLabel: string;
  readonly trainingRows: number;
  readonly positiveRate: number;
  readonly balancing: BalancingMethod;
  /** How the threshold was chosen: "fixed" when given by the caller. */
  readonly thresholdObjective: ThresholdObjective["kind"] | "fixed";
  /** ISO time stamp supplied by the caller (the library reads no clock). */
  readonly trainedAt: string | null;
  /** Cross-validation on the training rows, when the threshold was chosen by it. */
  readonly crossValidation:
    | AlgorithmSummary
    | (Omit<AlgorithmSummary, "algorithm"> & { algorithm: "blend" })
    | null;
  /** Mean |SHAP| (log-odds) per source column over a sample of training rows. */
  readonly importance: readonly ColumnImportance[];
}

/** One scored customer. */
export interface RiskPrediction {
  /** P(churn), 0..1. */
  readonly riskScore: number;
  /** log-odds of churn: logit(riskScore). */
  readonly margin: number;
  /** riskScore >= the model's threshold. */
  readonly isPredictedChurn: boolean;
  /** Fields that were missing, unreadable or unseen in training (the score used imputed values). */
  readonly warnings: readonly RecordWarning[];
}

/** One attribution, in log-odds and in probability points (the two add up separately). */
export interface Contribution {
  readonly name: string;
  readonly logOdds: number;
  readonly probability: number;
}

export interface RecordExplanation extends RiskPrediction {
  /** Expected model output over the explainer's reference data: margin and probability. */
  readonly base: { readonly logOdds: number; readonly probability: number };
  /** Per encoded feature (pipeline featureNames order): base + sum = margin / riskScore. */
  readonly features: readonly Contribution[];
  /** Per source: original column, or a named engineered feature (see ExplainOptions). */
  readonly columns: readonly Contribution[];
}

export interface ExplainOptions {
  /**
   * Where engineered features (tenure bin, charges per month...) go in `columns`: "group" (their
   * own named entry, as the pipeline's featureSources) or "split" (shared equally among the
   * original columns they are computed from, so only original columns appear). Default "group".
   */
  engineered?: "group" | "split";
}

const modelJsonSchema = z.object({
  kind: z.literal("churn_model"),
  formatVersion: z.literal(CHURN_MODEL_FORMAT_VERSION),
  schema: z.unknown(),
  pipeline: z.unknown(),
  classifier: z.object({
    algorithm: z.enum(["logistic_regression", "random_forest", "gradient_boosting", "svm", "blend"]),
    formatVersion: z.number(),
    params: z.record(z.string(), z.unknown()),
    state: z.unknown(),
  }),
  threshold: z.number(),
  metadata: z.custom<ChurnModelMetadata>((v) => typeof v === "object" && v !== null),
});

export interface ChurnModelJson {
  readonly kind: "churn_model";
  readonly formatVersion: typeof CHURN_MODEL_FORMAT_VERSION;
  readonly schema: DatasetSchema;
  readonly pipeline: ReturnType<FeaturePipeline["toJSON"]>;
  readonly classifier: SerializedClassifier;
  readonly threshold: number;
  readonly metadata: ChurnModelMetadata;
}

export class ChurnModel {
  readonly schema: DatasetSchema;
  readonly pipeline: FeaturePipeline;
  readonly classifier: Classifier;
  readonly threshold: number;
  readonly metadata: ChurnModelMetadata;
  private sourcesCache: { group: string[]; split: (string | string[])[] } | null = null;

  constructor(parts: {
    schema: DatasetSchema;
    pipeline: FeaturePipeline;
    classifier: Classifier;
    threshold: number;
    metadata: ChurnModelMetadata;
  }) {
    if (!parts.pipeline.isFitted) throw new Error("ChurnModel needs a fitted feature pipeline");
    this.schema = parts.schema;
    this.pipeline = parts.pipeline;
    this.classifier = parts.classifier;
    this.threshold = parts.threshold;
    this.metadata = parts.metadata;
  }

  get algorithm(): ModelAlgorithm {
    return this.classifier.algorithm;
  }

  get featureNames(): string[] {
    return this.pipeline.featureNames;
  }

  /** Scores raw records (keys = column names; missing fields are imputed and reported). */
  predict(records: readonly RawRecord[]): RiskPrediction[] {
    const { matrix, warnings } = this.pipeline.transformRecords(records);
    const proba = this.classifier.predictProba(matrix);
    const byRow = warningsByRow(warnings, records.length);
    return Array.from(proba, (p, r) => this.prediction(p, byRow[r]));
  }

  /** P(churn) for rows of a frame (batch scoring and evaluation, no per-record warnings). */
  predictFrame(frame: Frame, rows?: ArrayLike<number>): Float64Array {
    return this.classifier.predictProba(this.pipeline.transform(frame, rows));
  }

  /**
   * Scores and explains raw records. Attributions are computed in the classifier's own space
   * (log-odds for logistic regression, boosting and SVM; probability for the random forest) and
   * converted to the other by proportional rescaling (explain/output-space.ts), so in each space
   * base + sum of contributions equals the model output exactly.
   */
  explain(records: readonly RawRecord[], options: ExplainOptions = {}): RecordExplanation[] {
    const { matrix, warnings } = this.pipeline.transformRecords(records);
    const proba = this.classifier.predictProba(matrix);
    const byRow = warningsByRow(warnings, records.length);
    const { margin, probability } = this.explainMatrix(matrix);
    const names = this.pipeline.featureNames;
    const sources = this.sources(options.engineered ?? "group");
    const foldedMargin = foldContributions(margin, sources);
    const foldedProbability = foldContributions(probability, sources);
    const width = foldedMargin.columns.length;
    return Array.from(proba, (p, r) => {
      const features = names.map((name, c) => ({
        name,
        logOdds: margin.values[r * margin.cols + c],
        probability: probability.values[r * probability.cols + c],
      }));
      const columns = foldedMargin.columns.map((name, c) => ({
        name,
        logOdds: foldedMargin.values[r * width + c],
        probability: foldedProbability.values[r * width + c],
      }));
      return {
        ...this.prediction(p, byRow[r]),
        base: { logOdds: margin.baseValue, probability: probability.baseValue },
        features,
        columns,
      };
    });
  }

  /** Attributions of encoded rows in both spaces (base + row sum = margin, resp. P(churn)). */
  explainMatrix(X: Matrix): { margin: Explanation; probability: Explanation } {
    const raw = this.classifier.explain(X);
    return { margin: toMarginSpace(raw), probability: toProbabilitySpace(raw) };
  }

  /**
   * Global importance = mean |SHAP| (log-odds) per source column over the frame's rows, most
   * important first. Pass a sample (a few hundred rows is plenty) for the slower explainers.
   */
  globalImportance(frame: Frame, rows?: ArrayLike<number>, options: ExplainOptions = {}): ColumnImportance[] {
    const { margin } = this.explainMatrix(this.pipeline.transform(frame, rows));
    return meanAbsoluteImportance(foldContributions(margin, this.sources(options.engineered ?? "group")));
  }

  toJSON(): ChurnModelJson {
    return {
      kind: "churn_model",
      formatVersion: CHURN_MODEL_FORMAT_VERSION,
      schema: this.schema,
      pipeline: this.pipeline.toJSON(),
      classifier: this.classifier.toJSON(),
      threshold: this.threshold,
      metadata: this.metadata,
    };
  }

  /** Restores a model from toJSON's output or its JSON string. */
  static fromJSON(json: unknown): ChurnModel {
    const parsed = modelJsonSchema.parse(typeof json === "string" ? JSON.parse(json) : json);
    return new ChurnModel({
      schema: parseDatasetSchema(parsed.schema),
      pipeline: FeaturePipeline.fromJSON(parsed.pipeline),
      classifier: classifierFromJSON(parsed.classifier as SerializedClassifier),
      threshold: parsed.threshold,
      metadata: parsed.metadata,
    });
  }

  private prediction(p: number, warnings: readonly RecordWarning[]): RiskPrediction {
    return { riskScore: p, margin: logit(p), isPredictedChurn: p >= this.threshold, warnings };
  }

  private sources(mode: "group" | "split"): readonly (string | readonly string[])[] {
    if (!this.sourcesCache) {
      const group = this.pipeline.featureSourceNames;
      const sourceColumns = this.pipeline.sourceColumns;
      this.sourcesCache = { group, split: group.map((name) => sourceColumns.get(name) ?? name) };
    }
    return this.sourcesCache[mode];
  }
}

function warningsByRow(warnings: readonly RecordWarning[], rows: number): RecordWarning[][] {
  const out: RecordWarning[][] = Array.from({ length: rows }, () => []);
  for (const w of warnings) out[w.row]?.push(w);
  return out;
}

export interface TrainChurnModelOptions {
  schema: DatasetSchema;
  /** Feature frame and labels (buildTrainingSet). */
  frame: Frame;
  labels: Labels;
  /** Rows to fit on (e.g. the training part of a hold-out split). Default: all rows. */
  rows?: ArrayLike<number>;
  algorithm: Algorithm;
  /** Default RECOMMENDED_ALGORITHM_OPTIONS. */
  algorithmOptions?: AlgorithmOptions;
  /** Default "none". */
  balancing?: BalancingMethod;
  smote?: Omit<SmoteOptions, "seed" | "categoricalGroups">;
  pipeline?: Omit<FeaturePipelineOptions, "standardize">;
  /**
   * A fixed threshold, or the objective to choose it by on out-of-fold predictions of a k-fold
   * cross-validation of the same pipeline on the same rows. Default { kind: "f1" }.
   */
  threshold?: number | ThresholdObjective;
  /** Folds of that cross-validation. Default 5. */
  folds?: number;
  /** Default 42. */
  seed?: number;
  trainedAt?: string | null;
  /** Training rows sampled (seeded) for the stored global importance. Default 500; 0 = skip. */
  importanceRows?: number;
}

/**
 * Fits the whole pipeline on the given rows: feature pipeline, balancing, classifier; chooses
 * the threshold on cross-validated out-of-fold predictions of those rows (never on the fitted
 * model's own training predictions) unless a fixed one is given.
 */
export function trainChurnModel(options: TrainChurnModelOptions): ChurnModel {
  const { schema, algorithm, seed = 42 } = options;
  if (schema.target === null || schema.positiveLabel === null) throw new Error("The schema has no target");
  const rows = options.rows ? Uint32Array.from(options.rows) : rangeOf(options.labels.length);
  const frame = options.rows ? selectRows(options.frame, rows) : options.frame;
  const labels = options.rows ? Uint8Array.from(rows, (r) => options.labels[r]) : options.labels;
  const all = rangeOf(labels.length);
  const balancing = options.balancing ?? "none";

  let threshold: number;
  let crossValidation: AlgorithmSummary | null = null;
  if (typeof options.threshold === "number") {
    threshold = options.threshold;
  } else {
    const evaluation = crossValidateAlgorithm(schema, frame, labels, algorithm, {
      algorithmOptions: options.algorithmOptions,
      balancing,
      smote: options.smote,
      pipeline: options.pipeline,
      folds: options.folds ?? 5,
      seed,
      threshold: options.threshold ?? { kind: "f1" },
    });
    crossValidation = evaluation.summary;
    threshold = evaluation.summary.threshold;
  }

  const pipeline = FeaturePipeline.fromSchema(schema, {
    ...options.pipeline,
    ...pipelineOptionsFor(algorithm),
  }).fit(frame, all);
  const X = pipeline.transform(frame, all);
  const balanced = balanceStage(balancing, options.smote).apply(X, labels, {
    seed: deriveSeed(seed, 1),
    categoricalGroups: pipeline.categoricalGroups,
  });
  const classifier = createClassifier(
    algorithm,
    options.algorithmOptions ?? RECOMMENDED_ALGORITHM_OPTIONS,
    deriveSeed(seed, 2),
  );
  classifier.fit(
    balanced.X,
    balanced.y,
    balanced.sampleWeight ? { sampleWeight: balanced.sampleWeight } : {},
  );

  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const metadata: ChurnModelMetadata = {
    algorithm,
    target: schema.target,
    positiveLabel: schema.positiveLabel,
    trainingRows: labels.length,
    positiveRate: labels.length ? positives / labels.length : 0,
    balancing,
    thresholdObjective: typeof options.threshold === "number" ? "fixed" : (options.threshold?.kind ?? "f1"),
    trainedAt: options.trainedAt ?? null,
    crossValidation,
    importance: [],
  };
  const model = new ChurnModel({ schema, pipeline, classifier, threshold, metadata });
  const importanceRows = Math.min(options.importanceRows ?? 500, labels.length);
  if (importanceRows === 0) return model;
  const sample = shuffleInPlace(rangeOf(labels.length), createRng(deriveSeed(seed, 3))).slice(
    0,
    importanceRows,
  );
  return new ChurnModel({
    schema,
    pipeline,
    classifier,
    threshold,
    metadata: { ...metadata, importance: model.globalImportance(frame, sample) },
  });
}

function rangeOf(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
