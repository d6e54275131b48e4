/**
 * The bins PSI compares, fixed on the training (reference) data and then applied unchanged to new
 * data, so both sides are counted in the same bins:
 *
 * - numeric: cut at the training quantiles, DEFAULT_BIN_COUNT = 10 bins (deciles: each holds about
 *   a tenth of the training rows, the usual PSI choice; fewer hide shifts, more make each bin's
 *   share noisy on a few thousand rows). Tied quantiles (a column that is 0 for 40 % of rows) are
 *   merged, so such a column gets fewer, uneven bins. Bins are closed above: (edge_k−1, edge_k].
 * - categorical (and boolean, text): one bin per training level, the MAX_LEVELS most frequent;
 *   rarer training levels share "Other training values"; a value never seen in training goes to
 *   "New values" (empty in training by construction, so it counts through PSI's epsilon).
 * - missing values (and numeric cells that are not numbers) are a bin of their own, always last.
 */
import { cleanCell, parseNumber } from "../ml/data/values";

export const DEFAULT_BIN_COUNT = 10;
export const MAX_LEVELS = 30;

export const MISSING_BIN = "Missing";
export const NEW_VALUES_BIN = "New values";
export const OTHER_LEVELS_BIN = "Other training values";

export interface NumericBinning {
  kind: "numeric";
  /** Increasing cut points; bin k holds (edges[k−1], edges[k]], the first (−∞, edges[0]], the last (edges[n−1], ∞). */
  edges: number[];
}

export interface CategoricalBinning {
  kind: "categorical";
  /** One bin each, most frequent in training first. */
  levels: string[];
  /** Whether training had more levels than `levels` (they share the "other" bin). */
  hasOther: boolean;
}

export type Binning = NumericBinning | CategoricalBinning;

/**
 * Cut points at the k/binCount quantiles (k = 1 … binCount−1) of the finite values: the lower
 * empirical quantile, sorted[⌈k·n/binCount⌉ − 1]. Duplicates and the maximum itself (which would
 * leave the last bin empty in training) are dropped.
 */
export function quantileEdges(values: ArrayLike<number>, binCount = DEFAULT_BIN_COUNT): number[] {
  if (!Number.isInteger(binCount) || binCount < 1)
    throw new RangeError(`binCount must be a positive integer, got ${binCount}`);
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  if (finite.length === 0) return [];
  const sorted = Float64Array.from(finite).sort();
  const n = sorted.length;
  const max = sorted[n - 1];
  const edges: number[] = [];
  for (let k = 1; k < binCount; k++) {
    const edge = sorted[Math.ceil((k * n) / binCount) - 1];
    if (edge < max && (edges.length === 0 || edge > edges[edges.length - 1])) edges.push(edge);
  }
  return edges;
}

/** Training levels by frequency (ties by name, so the bins do not depend on row order). */
export function categoricalBinning(
  values: Iterable<string | null>,
  maxLevels = MAX_LEVELS,
): CategoricalBinning {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ordered = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([level]) => level);
  return { kind: "categorical", levels: ordered.slice(0, maxLevels), hasOther: ordered.length > maxLevels };
}

export function binCount(binning: Binning): number {
  // numeric: edges + 1 value bins; categorical: levels, other?, new values; both: + missing.
  return binning.kind === "numeric"
    ? binning.edges.length + 2
    : binning.levels.length + (binning.hasOther ? 1 : 0) + 2;
}

/** Index of the numeric bin holding x (NaN or ±∞ → the missing bin, the last). */
export function numericBinOf(binning: NumericBinning, x: number): number {
  const { edges } = binning;
  if (!Number.isFinite(x)) return edges.length + 1;
  // First edge ≥ x (binary search); none → the last value bin.
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] >= x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Counts values into bins. For categorical columns `known` is every training level (also those
 * beyond MAX_LEVELS), which tells "other training values" from "new values".
 */
export class BinCounter {
  readonly counts: number[];
  private readonly levelIndex = new Map<string, number>();

  constructor(
    readonly binning: Binning,
    private readonly known: ReadonlySet<string> = new Set(),
  ) {
    this.counts = new Array(binCount(binning)).fill(0);
    if (binning.kind === "categorical") {
      for (const [i, level] of binning.levels.entries()) this.levelIndex.set(level, i);
    }
  }

  get missingBin(): number {
    return this.counts.length - 1;
  }

  /** A numeric column's value (NaN = missing). */
  addNumber(x: number): void {
    if (this.binning.kind !== "numeric") throw new Error("addNumber on a categorical column");
    this.counts[numericBinOf(this.binning, x)]++;
  }

  /** A categorical column's trimmed value (null = missing). */
  addLevel(value: string | null): void {
    if (this.binning.kind !== "categorical") throw new Error("addLevel on a numeric column");
    if (value === null) {
      this.counts[this.missingBin]++;
      return;
    }
    const at = this.levelIndex.get(value);
    if (at !== undefined) this.counts[at]++;
    else if (this.binning.hasOther && this.known.has(value)) this.counts[this.binning.levels.length]++;
    else this.counts[this.missingBin - 1]++;
  }

  /** A raw CSV cell, read as the schema reads it (missing tokens, decimal comma). */
  addCell(raw: string | null | undefined, decimalComma = false): void {
    const cell = cleanCell(raw);
    if (this.binning.kind === "numeric")
      this.addNumber(cell === null ? Number.NaN : parseNumber(cell, decimalComma));
    else this.addLevel(cell);
  }
}

/** Short number for a bin label: at most four significant digits, no exponent for everyday sizes. */
export function formatEdge(x: number): string {
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e9) return String(Number(x.toPrecision(4)));
  return x.toPrecision(3);
}

/** A risk (probability) edge as a percentage: 0.1813 → "18.1 %". */
export function formatPercentEdge(x: number): string {
  return `${Number((x * 100).toFixed(1))} %`;
}

/** Labels of every bin, in count order (numeric edges written by `format`). */
export function binLabels(binning: Binning, format: (x: number) => string = formatEdge): string[] {
  if (binning.kind === "categorical") {
    return [...binning.levels, ...(binning.hasOther ? [OTHER_LEVELS_BIN] : []), NEW_VALUES_BIN, MISSING_BIN];
  }
  const { edges } = binning;
  if (edges.length === 0) return ["All values", MISSING_BIN];
  const labels = [`≤ ${format(edges[0])}`];
  for (let k = 1; k < edges.length; k++) labels.push(`${format(edges[k - 1])} – ${format(edges[k])}`);
  labels.push(`> ${format(edges[edges.length - 1])}`);
  labels.push(MISSING_BIN);
  return labels;
}
