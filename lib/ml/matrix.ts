import type { Matrix } from "./types";

export function createMatrix(rows: number, cols: number, data?: Float64Array): Matrix {
  const values = data ?? new Float64Array(rows * cols);
  if (values.length !== rows * cols) {
    throw new Error(`Matrix data has ${values.length} values, expected ${rows} x ${cols}`);
  }
  return { data: values, rows, cols };
}

export function matrixFromRows(rows: ArrayLike<number>[]): Matrix {
  const cols = rows.length ? rows[0].length : 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (row.length !== cols) throw new Error(`Row ${r} has ${row.length} values, expected ${cols}`);
    for (let c = 0; c < cols; c++) data[r * cols + c] = row[c];
  });
  return { data, rows: rows.length, cols };
}

export function takeRows(X: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float64Array(indices.length * X.cols);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i] * X.cols;
    out.set(X.data.subarray(src, src + X.cols), i * X.cols);
  }
  return { data: out, rows: indices.length, cols: X.cols };
}

export function takeLabels<T extends Uint8Array | Float64Array>(y: T, indices: ArrayLike<number>): T {
  const out = new (y.constructor as { new (n: number): T })(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = y[indices[i]];
  return out;
}

export function row(X: Matrix, r: number): Float64Array {
  return X.data.subarray(r * X.cols, (r + 1) * X.cols);
}
