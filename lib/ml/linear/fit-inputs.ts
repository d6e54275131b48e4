import type { Labels, Matrix } from "../types";

/**
 * Checks shared by every fit in this folder. Returns the per-row weights (1 when absent) so callers
 * never branch on "weighted or not" in their hot loops.
 */
export function checkFitInputs(X: Matrix, y: Labels, sampleWeight?: Float64Array): Float64Array {
  if (X.rows === 0 || X.cols === 0) throw new Error(`Cannot fit on an empty matrix (${X.rows} x ${X.cols})`);
  if (y.length !== X.rows) throw new Error(`Got ${y.length} labels for ${X.rows} rows`);
  const data = X.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const r = Math.floor(i / X.cols);
      throw new Error(`Value at row ${r}, column ${i - r * X.cols} is ${data[i]}: impute before fitting`);
    }
  }
  const weights = sampleWeight ?? new Float64Array(X.rows).fill(1);
  if (weights.length !== X.rows) throw new Error(`Got ${weights.length} sample weights for ${X.rows} rows`);
  let positive = 0;
  let negative = 0;
  for (let i = 0; i < X.rows; i++) {
    const w = weights[i];
    if (!(w >= 0) || !Number.isFinite(w))
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

/** Per-column weighted mean and standard deviation; a constant column gets scale 1 so dividing is safe. */
export function weightedColumnStats(
  X: Matrix,
  weights: Float64Array,
): { mean: Float64Array; scale: Float64Array } {
  const { rows, cols, data } = X;
  const mean = new Float64Array(cols);
  const scale = new Float64Array(cols);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const w = weights[i];
    total += w;
    const off = i * cols;
    for (let j = 0; j < cols; j++) mean[j] += w * data[off + j];
  }
  for (let j = 0; j < cols; j++) mean[j] /= total;
  // Two-pass variance: the one-pass formula loses every digit on unscaled columns like TotalCharges.
  for (let i = 0; i < rows; i++) {
    const w = weights[i];
    const off = i * cols;
    for (let j = 0; j < cols; j++) {
      const d = data[off + j] - mean[j];
      scale[j] += w * d * d;
    }
  }
  for (let j = 0; j < cols; j++) {
    const sd = Math.sqrt(scale[j] / total);
    scale[j] = sd > 1e-12 * Math.max(1, Math.abs(mean[j])) ? sd : 1;
  }
  return { mean, scale };
}

export { checkColumns, sigmoid, softplus } from "../numeric";
