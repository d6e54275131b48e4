/**
 * How training scales past what k-fold cross-validation on every row affords (issue 15, part 3).
 *
 * - Cross-validation of more than CV_MAX_ROWS training rows runs on a seeded stratified subsample
 *   of CV_MAX_ROWS rows (both classes keep their share), as H2O does for large frames: the CV AUC's
 *   standard error at 50,000 rows is already ~0.003, far below the differences between algorithms,
 *   while k fits of the full data would cost k times the final fit. The threshold comes from the
 *   subsample's out-of-fold predictions; the final model is fitted on all training rows.
 * - The SVM and logistic regression fit on a stratified subsample above FIT_MAX_ROWS: their
 *   solvers keep a dense copy of the encoded rows and the SVM's dual/RFF fit grows faster than
 *   linearly, while a linear boundary over ~20 encoded features is pinned down long before
 *   100,000 rows. Trees bin their inputs (uint8) and fit on every row.
 * - The hyper-parameter search is bounded by data size. Above DEEP_TREES_MAX_ROWS training rows
 *   it tries no tree deeper than LARGE_DATA_MAX_TREE_DEPTH (deeper candidates are clamped): a
 *   depth-12 forest with 2 rows per leaf grows thousands of leaves per tree on that much data,
 *   and explaining every customer with it (TreeSHAP is linear in leaves x path length per tree)
 *   took longer than everything else together (measured: 100,000 rows unfinished after 43
 *   minutes, BENCHMARKS.md). "quick" is meant to cost about a plain run; above
 *   QUICK_TUNING_MAX_ROWS its nested search (3 candidates inside each of k folds) costs several
 *   final fits, so it is skipped and the model page says so; "thorough" still searches.
 */

import { createRng, deriveSeed, shuffleInPlace } from "../random";
import type { TuningBudget } from "../tuning/search-space";
import type { Algorithm } from "../types";

/**
 * Training rows above which cross-validation uses a stratified subsample of this many. At 20,000
 * rows the CV AUC's standard error is ~0.004 (Hanley & McNeil), below the gaps between algorithms
 * it is used to rank, and 5 folds of it cost about one final fit on 80,000 rows.
 */
export const CV_MAX_ROWS = 20_000;

/** Training rows above which a "quick" search is skipped (recommended settings kept). */
export const QUICK_TUNING_MAX_ROWS = 20_000;

/** Training rows up to which a search may try trees deeper than LARGE_DATA_MAX_TREE_DEPTH. */
export const DEEP_TREES_MAX_ROWS = 10_000;

/** Deepest tree a search tries above DEEP_TREES_MAX_ROWS training rows (at most 256 leaves). */
export const LARGE_DATA_MAX_TREE_DEPTH = 8;

export interface TuningPlan {
  /** The search to run, or null for none. */
  budget: TuningBudget | null;
  /** Why the asked-for search does not run (shown on the model page), when it does not. */
  skipped: string | null;
  /** Candidates with a deeper `maxDepth` are left out, when set. */
  maxTreeDepth: number | null;
}

/** What search a run asking for `budget` gets on a training part of `trainingRows` rows. */
export function tuningPlan(budget: TuningBudget | undefined, trainingRows: number): TuningPlan {
  if (!budget) return { budget: null, skipped: null, maxTreeDepth: null };
  if (trainingRows <= DEEP_TREES_MAX_ROWS) return { budget, skipped: null, maxTreeDepth: null };
  if (trainingRows <= QUICK_TUNING_MAX_ROWS)
    return { budget, skipped: null, maxTreeDepth: LARGE_DATA_MAX_TREE_DEPTH };
  const n = trainingRows.toLocaleString("en-US");
  if (budget === "quick") {
    return {
      budget: null,
      skipped: `${n} training rows, more than the ${QUICK_TUNING_MAX_ROWS.toLocaleString("en-US")} a quick search covers (it would take longer than training itself); choose Thorough to search`,
      maxTreeDepth: null,
    };
  }
  return { budget, skipped: null, maxTreeDepth: LARGE_DATA_MAX_TREE_DEPTH };
}

/** Rows a final fit uses at most, per algorithm (null = every row). */
export const FIT_MAX_ROWS: Readonly<Record<Algorithm, number | null>> = Object.freeze({
  logistic_regression: 200_000,
  svm: 100_000,
  random_forest: null,
  gradient_boosting: null,
});

/**
 * A seeded stratified sample of `size` indices of `labels` (ascending), or null when there are no
 * more rows than `size`. Each class contributes in proportion, at least one row when present.
 */
export function stratifiedSubsample(labels: Uint8Array, size: number, seed: number): Uint32Array | null {
  const n = labels.length;
  if (n <= size) return null;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  const byClass = [new Uint32Array(n - positives), new Uint32Array(positives)];
  const filled = [0, 0];
  for (let i = 0; i < n; i++) byClass[labels[i]][filled[labels[i]]++] = i;
  const takePositives =
    positives === 0 ? 0 : Math.max(1, Math.min(positives, Math.round((size * positives) / n)));
  const take = [size - takePositives, takePositives];
  const rng = createRng(deriveSeed(seed, 15));
  const out = new Uint32Array(size);
  let at = 0;
  for (const c of [0, 1]) {
    const picked = shuffleInPlace(byClass[c], rng).subarray(0, take[c]);
    out.set(picked, at);
    at += picked.length;
  }
  return out.sort();
}

/** The rows cross-validation runs on (indices into the training part), or null for all of them. */
export function crossValidationRows(trainLabels: Uint8Array, seed: number): Uint32Array | null {
  return stratifiedSubsample(trainLabels, CV_MAX_ROWS, seed);
}

/** The rows the final fit of `algorithm` uses (indices into the training part), or null for all. */
export function finalFitRows(
  trainLabels: Uint8Array,
  algorithm: Algorithm,
  seed: number,
): Uint32Array | null {
  const max = FIT_MAX_ROWS[algorithm];
  return max === null ? null : stratifiedSubsample(trainLabels, max, deriveSeed(seed, 16));
}

/** One sentence for the model page: how the CV AUC was measured. */
export function crossValidationSentence(cv: { rows: number; of: number; folds: number }): string {
  const n = (v: number) => v.toLocaleString("en-US");
  return cv.rows < cv.of
    ? `Cross-validated (${cv.folds} folds) on a stratified sample of ${n(cv.rows)} of the ${n(cv.of)} training rows; the model itself was fitted on all of them.`
    : `Cross-validated (${cv.folds} folds) on all ${n(cv.of)} training rows.`;
}
