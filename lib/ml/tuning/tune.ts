/**
 * Budgeted hyper-parameter search for one algorithm on given rows only, by successive halving
 * (Jamieson & Talwalkar 2016) over inner folds: every candidate is scored on the first inner
 * fold, the best third goes on to the next fold, and so on; the winner has the best mean inner
 * AUC among the candidates that reached the last rung. Ties keep the earlier candidate (the
 * recommended configuration is first), so the search is deterministic for a seed.
 *
 * Nested use: cross-validation calls this with each outer training fold's rows, so the rows an
 * outer fold is judged on never score, fit or encode anything during its tuning, and the reported
 * CV AUC is not the tuning score (see crossValidateAlgorithm's `tuning` option).
 */
import type { BalancingMethod, SmoteOptions } from "../balance";
import type { DatasetSchema, Frame } from "../data";
import {
  type AlgorithmOptions,
  createClassifier,
  pipelineOptionsFor,
  RECOMMENDED_ALGORITHM_OPTIONS,
} from "../evaluate/algorithms";
import { balanceStage } from "../evaluate/balancing";
import { featurePipelineStage } from "../evaluate/compare-algorithms";
import { type Partition, stratifiedKFold, stratifiedSplit } from "../evaluate/split";
import type { FeaturePipelineOptions } from "../features";
import { checkInterrupt } from "../interrupt";
import { takeLabels } from "../matrix";
import { rocAuc } from "../metrics";
import { deriveSeed } from "../random";
import type { Algorithm, Labels } from "../types";
import { type Candidate, candidatesFor, optionsWith, type TuningBudget } from "./search-space";

/** Inner folds per budget: one 75 / 25 split for "quick", three folds for "thorough". */
export const INNER_FOLDS: Readonly<Record<TuningBudget, number>> = Object.freeze({ quick: 1, thorough: 3 });
/** Each rung keeps this share of the candidates (rounded up). */
const HALVING_KEEP = 1 / 3;
/**
 * Trees of a forest while it is a candidate: comparing depth and leaf size needs fewer trees than
 * the final model (more trees only lower the variance of every candidate alike).
 */
const TUNING_FOREST_TREES = 50;
/** Below this many rows of the rarer class the inner folds are too small to tell candidates apart. */
export const MIN_TUNING_MINORITY_ROWS = 20;

export interface TuneOptions {
  schema: DatasetSchema;
  frame: Frame;
  labels: Labels;
  algorithm: Algorithm;
  /** Rows of `frame` / `labels` the search may use (default all): the only rows it ever reads labels of. */
  rows?: Uint32Array;
  budget: TuningBudget;
  seed: number;
  /** Options the candidates are laid over. Default RECOMMENDED_ALGORITHM_OPTIONS. */
  baseOptions?: Readonly<AlgorithmOptions>;
  balancing?: BalancingMethod;
  smote?: Omit<SmoteOptions, "seed" | "categoricalGroups">;
  pipeline?: Omit<FeaturePipelineOptions, "standardize">;
  /** Leave out candidates with trees deeper than this (see lib/ml/evaluate/large-data.ts). */
  maxTreeDepth?: number | null;
  /** Called for every inner fit with the rows (indices of `frame`) it was fitted on and scored on. */
  onFit?: (event: { fitRows: Uint32Array; scoreRows: Uint32Array; candidate: Candidate }) => void;
}

export interface Trial {
  readonly candidate: Candidate;
  /** Inner AUC per inner fold it was scored on (successive halving stops the weaker ones early). */
  readonly aucs: readonly number[];
  readonly meanAuc: number;
}

export interface TuningResult {
  readonly algorithm: Algorithm;
  readonly budget: TuningBudget;
  /** The chosen candidate (the options that differ from the base); {} = the recommended ones. */
  readonly chosen: Candidate;
  /** The chosen options of this algorithm in full (base + chosen). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Mean inner AUC of the chosen candidate: the tuning score, never the reported CV AUC. */
  readonly innerAuc: number;
  readonly innerFolds: number;
  readonly trials: readonly Trial[];
  /** Set when the search was skipped (too few rows); `chosen` is then {}. */
  readonly skipped?: string;
}

function rangeOf(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

function innerPartitions(rows: Uint32Array, labels: Labels, budget: TuningBudget, seed: number): Partition[] {
  const local = takeLabels(labels, rows);
  const toGlobal = (p: Partition): Partition => ({
    train: Uint32Array.from(p.train, (i) => rows[i]),
    validation: Uint32Array.from(p.validation, (i) => rows[i]),
  });
  const folds = INNER_FOLDS[budget];
  const parts =
    folds === 1
      ? [stratifiedSplit(local, { testFraction: 0.25, seed })]
      : stratifiedKFold(local, { folds, seed });
  return parts.map(toGlobal);
}

function minorityCount(labels: Labels, rows: Uint32Array): number {
  let positives = 0;
  for (const r of rows) positives += labels[r];
  return Math.min(positives, rows.length - positives);
}

export function tuneAlgorithm(options: TuneOptions): TuningResult {
  const { schema, frame, labels, algorithm, budget, seed } = options;
  const base = options.baseOptions ?? RECOMMENDED_ALGORITHM_OPTIONS;
  const rows = options.rows ?? rangeOf(labels.length);
  const full = (candidate: Candidate) => ({ ...(base[algorithm] ?? {}), ...candidate });
  if (minorityCount(labels, rows) < MIN_TUNING_MINORITY_ROWS * INNER_FOLDS[budget]) {
    return {
      algorithm,
      budget,
      chosen: {},
      options: full({}),
      innerAuc: Number.NaN,
      innerFolds: 0,
      trials: [],
      skipped: `fewer than ${MIN_TUNING_MINORITY_ROWS * INNER_FOLDS[budget]} rows of the rarer class: recommended options kept`,
    };
  }
  const candidates = candidatesFor(algorithm, budget, seed, { maxTreeDepth: options.maxTreeDepth });
  if (candidates.length === 1) {
    // Nothing to compare: no inner fits.
    return {
      algorithm,
      budget,
      chosen: candidates[0],
      options: full(candidates[0]),
      innerAuc: Number.NaN,
      innerFolds: 0,
      trials: [],
    };
  }
  const partitions = innerPartitions(rows, labels, budget, deriveSeed(seed, 0x1e));
  const features = featurePipelineStage(schema, { ...options.pipeline, ...pipelineOptionsFor(algorithm) });
  const balance = balanceStage(options.balancing ?? "none", options.smote);
  const aucs: number[][] = candidates.map(() => []);
  let alive = candidates.map((_, i) => i);
  partitions.forEach((partition, fold) => {
    // One encoding per inner fold, shared by its candidates (fitted on the inner training rows only).
    const fitted = features.fit(frame, partition.train);
    const XTrain = fitted.transform(frame, partition.train);
    const yTrain = takeLabels(labels, partition.train);
    const balanced = balance.apply(XTrain, yTrain, {
      seed: deriveSeed(seed, 100 + fold),
      categoricalGroups: fitted.categoricalGroups,
    });
    const XValidation = fitted.transform(frame, partition.validation);
    const yValidation = takeLabels(labels, partition.validation);
    for (const index of alive) {
      checkInterrupt();
      const candidate = candidates[index];
      const tuningCandidate =
        algorithm === "random_forest" ? { ...candidate, nTrees: TUNING_FOREST_TREES } : candidate;
      const classifier = createClassifier(
        algorithm,
        optionsWith(base, algorithm, tuningCandidate),
        deriveSeed(seed, 1000 + fold),
      );
      options.onFit?.({ fitRows: partition.train, scoreRows: partition.validation, candidate });
      classifier.fit(
        balanced.X,
        balanced.y,
        balanced.sampleWeight ? { sampleWeight: balanced.sampleWeight } : {},
      );
      aucs[index].push(rocAuc(yValidation, classifier.predictProba(XValidation)));
    }
    if (fold < partitions.length - 1) {
      const keep = Math.max(1, Math.ceil(alive.length * HALVING_KEEP));
      alive = rankByMeanAuc(alive, aucs)
        .slice(0, keep)
        .sort((a, b) => a - b);
    }
  });
  const best = rankByMeanAuc(alive, aucs)[0];
  const trials = candidates.map((candidate, i) => ({ candidate, aucs: aucs[i], meanAuc: mean(aucs[i]) }));
  return {
    algorithm,
    budget,
    chosen: candidates[best],
    options: full(candidates[best]),
    innerAuc: trials[best].meanAuc,
    innerFolds: partitions.length,
    trials,
  };
}

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}

/** Best mean AUC first; equal means keep the earlier candidate (stable sort on the index order). */
function rankByMeanAuc(indices: readonly number[], aucs: readonly (readonly number[])[]): number[] {
  const score = (i: number) => {
    const m = mean(aucs[i]);
    return Number.isNaN(m) ? Number.NEGATIVE_INFINITY : m;
  };
  return [...indices].sort((a, b) => score(b) - score(a) || a - b);
}

/** The algorithm options a tuning result stands for, on top of the base options. */
export function tunedOptions(base: Readonly<AlgorithmOptions>, result: TuningResult): AlgorithmOptions {
  return optionsWith(base, result.algorithm, result.chosen);
}

/**
 * The deployed model's choice from a nested search's per-fold choices: the candidate chosen in most
 * training folds (ties: the one chosen first). Saves searching again on all training rows, and is
 * the choice the reported CV AUC judged most often.
 */
export function consensusChoice(results: readonly TuningResult[]): TuningResult {
  if (results.length === 0) throw new Error("No tuning results to choose from");
  const counts = new Map<string, { count: number; first: number }>();
  results.forEach((r, i) => {
    const key = JSON.stringify(Object.entries(r.chosen).sort(([a], [b]) => (a < b ? -1 : 1)));
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else counts.set(key, { count: 1, first: i });
  });
  let best = { count: 0, first: 0 };
  for (const entry of counts.values())
    if (entry.count > best.count || (entry.count === best.count && entry.first < best.first)) best = entry;
  return results[best.first];
}
