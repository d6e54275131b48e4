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
 */
import { createRng, deriveSeed, shuffleInPlace } from "../random";
import type { Algorithm } from "../types";

/** Training rows above which cross-validation uses a stratified subsample of this many. */
export const CV_MAX_ROWS = 50_000;

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
