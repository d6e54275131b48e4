import type { Labels, Matrix } from "../types";

/**
 * Checks shared by the tree ensembles; returns the per-row weights (1 when absent). Unlike the
 * linear models, NaN features are allowed: the trees learn where missing values go.
 */
export function checkTreeFitInputs(X: Matrix, y: Labels, sampleWeight?: Float64Array): Float64Array {
  if (X.rows === 0 || X.cols === 0) throw new Error(`Cannot fit on an empty matrix (${X.rows} x ${X.cols})`);
  if (X.data.length !== X.rows * X.cols) throw new Error("Matrix data length does not match rows x cols");
  if (y.length !== X.rows) throw new Error(`Got ${y.length} labels for ${X.rows} rows`);
  const weights = sampleWeight ?? new Float64Array(X.rows).fill(1);
  if (weights.length !== X.rows) throw new Error(`Got ${weights.length} sample weights for ${X.rows} rows`);
  let positive = 0;
  let negative = 0;
  for (let i = 0; i < X.rows; i++) {
    const w = weights[i];
    if (!(w >= 0 && w < Number.POSITIVE_INFINITY))
      throw new Error(`Sample weight ${w} at row ${i} must be finite and >= 0`);
    if (y[i] !== 0 && y[i] !== 1) throw new Error(`Label ${y[i]} at row ${i} must be 0 or 1`);
    if (y[i] === 1) positive += w;
    else negative += w;
  }
  if (positive === 0 || negative === 0) {
    throw new Error("Training data must contain both classes (churned and retained) with positive weight");
  }
  return weights;
}

/** Rows with positive weight, ascending: zero-weight rows would give zero-cover leaves. */
export function positiveWeightRows(weights: Float64Array): Uint32Array {
  let count = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] > 0) count++;
  const rows = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] > 0) rows[k++] = i;
  return rows;
}

export { checkColumns, mergeOptions, sigmoid, softplus } from "../numeric";
