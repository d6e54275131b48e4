/**
 * Feature binning for the histogram tree learner (the "hist" method of LightGBM / XGBoost): every
 * column is quantised once into at most 255 value bins, so split search scans bins instead of
 * sorted rows. Written in-house: no maintained JavaScript library offers it (issue 3).
 */
import type { Matrix } from "../types";

/** Largest number of value bins per feature; with the missing bin the index still fits a Uint8. */
export const MAX_VALUE_BINS = 255;
/** Bin index of missing (NaN) and non-finite values; value bins are 1 .. binCounts[c] - 1. */
export const MISSING_BIN = 0;

export interface BinningOptions {
  /** Value bins per feature, 2..255. Default 255. */
  maxBins?: number;
}

export interface BinnedMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Column-major bin indices: bin of (row r, column c) is bins[c * rows + r]. */
  readonly bins: Uint8Array;
  /** Bins of column c including the missing bin, so value bins are 1 .. binCounts[c] - 1. */
  readonly binCounts: Int32Array;
  /** Start of column c in a histogram laid out column after column; binOffsets[cols] = total. */
  readonly binOffsets: Int32Array;
  /**
   * Raw threshold of "bin <= b goes left" for column c at thresholds[binOffsets[c] + b]: every
   * finite training value x of the column satisfies x <= threshold exactly when its bin is <= b,
   * so a fitted tree can route raw rows without re-binning. Entries for bin 0 and the last bin
   * are unused (0).
   */
  readonly thresholds: Float64Array;
  /** Rows of column c that are missing (bin 0). */
  readonly missingCounts: Int32Array;
}

export function isMissingValue(x: number): boolean {
  // Infinities are binned as missing too: they have no finite midpoint threshold and JSON cannot
  // carry them, so routing them like NaN keeps training and prediction consistent.
  return !(x > Number.NEGATIVE_INFINITY && x < Number.POSITIVE_INFINITY);
}

/**
 * A threshold t with a <= t < b, preferring the midpoint so unseen values between two training
 * values are split evenly; falls back to a when the midpoint rounds onto b.
 */
function splitPoint(a: number, b: number): number {
  const mid = a / 2 + b / 2;
  return mid >= a && mid < b ? mid : a;
}

/** Bins every column of X (row-major) once; see BinnedMatrix for the layout. */
export function binMatrix(X: Matrix, options: BinningOptions = {}): BinnedMatrix {
  const maxBins = options.maxBins ?? MAX_VALUE_BINS;
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_VALUE_BINS) {
    throw new Error(`maxBins must be an integer in 2..${MAX_VALUE_BINS}, got ${maxBins}`);
  }
  const { rows, cols, data } = X;
  const bins = new Uint8Array(rows * cols);
  const binCounts = new Int32Array(cols);
  const binOffsets = new Int32Array(cols + 1);
  const missingCounts = new Int32Array(cols);
  const edgesPerColumn: Float64Array[] = [];
  const values = new Float64Array(rows);
  const distinct = new Float64Array(rows);
  const counts = new Int32Array(rows);
  const edges = new Float64Array(maxBins);

  for (let c = 0; c < cols; c++) {
    // Most columns of an encoded churn table are one-hot or flags: find up to two distinct values
    // in one pass and sort only the columns that have more.
    let m = 0;
    let d = 0;
    for (let r = 0; r < rows; r++) {
      const x = data[r * cols + c];
      if (isMissingValue(x)) continue;
      values[m++] = x;
      if (d < 3 && (d === 0 || x !== distinct[0]) && (d < 2 || x !== distinct[1])) {
        if (d < 2) distinct[d] = x;
        d++;
      }
    }
    missingCounts[c] = rows - m;
    if (d === 2 && distinct[0] > distinct[1]) {
      const tmp = distinct[0];
      distinct[0] = distinct[1];
      distinct[1] = tmp;
    } else if (d > 2) {
      const sorted = values.subarray(0, m).sort();
      d = 0;
      for (let i = 0; i < m; i++) {
        if (d > 0 && sorted[i] === distinct[d - 1]) counts[d - 1]++;
        else {
          distinct[d] = sorted[i];
          counts[d] = 1;
          d++;
        }
      }
    }

    let nEdges = 0;
    if (d <= maxBins) {
      for (let i = 0; i + 1 < d; i++) edges[nEdges++] = splitPoint(distinct[i], distinct[i + 1]);
    } else {
      // Greedy equal-frequency cuts; the target is recomputed after each cut so a heavy value
      // (e.g. many zeros) takes one bin without starving the rest of the range.
      let remaining = m;
      let binsLeft = maxBins;
      let acc = 0;
      for (let i = 0; i + 1 < d && binsLeft > 1; i++) {
        acc += counts[i];
        if (acc >= remaining / binsLeft) {
          edges[nEdges++] = splitPoint(distinct[i], distinct[i + 1]);
          remaining -= acc;
          acc = 0;
          binsLeft--;
        }
      }
    }
    const colEdges = edges.slice(0, nEdges);
    edgesPerColumn.push(colEdges);
    binCounts[c] = d === 0 ? 1 : nEdges + 2;
    binOffsets[c + 1] = binOffsets[c] + binCounts[c];

    const base = c * rows;
    for (let r = 0; r < rows; r++) {
      const x = data[r * cols + c];
      if (isMissingValue(x)) {
        bins[base + r] = MISSING_BIN;
        continue;
      }
      // 1 + number of edges strictly below x, so x <= edges[j] exactly when bin <= j + 1.
      let lo = 0;
      let hi = nEdges;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (colEdges[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      bins[base + r] = lo + 1;
    }
  }

  const thresholds = new Float64Array(binOffsets[cols]);
  for (let c = 0; c < cols; c++) thresholds.set(edgesPerColumn[c], binOffsets[c] + 1);
  return { rows, cols, bins, binCounts, binOffsets, thresholds, missingCounts };
}
