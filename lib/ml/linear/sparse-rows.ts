import type { Matrix } from "../types";

/**
 * Rows of (X - centre) / scale with exact zeros dropped (compressed sparse rows). One-hot columns
 * stay sparse after standardisation once they are centred on their majority value instead of their
 * mean, which makes the n d^2 Gram products of Newton's method about four times cheaper on Telco.
 */
export interface SparseRows {
  readonly rows: number;
  readonly cols: number;
  /** Row i occupies entries rowStart[i] .. rowStart[i + 1] - 1, columns ascending. */
  readonly rowStart: Int32Array;
  readonly colIndex: Int32Array;
  readonly values: Float64Array;
}

/**
 * A centre per column that keeps the design matrix well conditioned: the more frequent value of a
 * column with at most two distinct values (so its common value becomes an exact zero), else `mean`.
 */
export function sparsityCentre(X: Matrix, mean: Float64Array): Float64Array {
  const { rows, cols, data } = X;
  const centre = Float64Array.from(mean);
  for (let j = 0; j < cols; j++) {
    const first = data[j];
    let second = first;
    let firstCount = 0;
    let isBinary = true;
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + j];
      if (v === first) firstCount++;
      else if (second === first || v === second) second = v;
      else {
        isBinary = false;
        break;
      }
    }
    if (isBinary) centre[j] = firstCount * 2 >= rows ? first : second;
  }
  return centre;
}

export function sparseScaledRows(X: Matrix, centre: Float64Array, scale: Float64Array): SparseRows {
  const { rows, cols, data } = X;
  let nonZero = 0;
  for (let i = 0; i < rows; i++) {
    const off = i * cols;
    for (let j = 0; j < cols; j++) if (data[off + j] !== centre[j]) nonZero++;
  }
  const rowStart = new Int32Array(rows + 1);
  const colIndex = new Int32Array(nonZero);
  const values = new Float64Array(nonZero);
  let t = 0;
  for (let i = 0; i < rows; i++) {
    rowStart[i] = t;
    const off = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[off + j];
      if (v !== centre[j]) {
        colIndex[t] = j;
        values[t] = (v - centre[j]) / scale[j];
        t++;
      }
    }
  }
  rowStart[rows] = t;
  return { rows, cols, rowStart, colIndex, values };
}
