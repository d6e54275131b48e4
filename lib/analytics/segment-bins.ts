/**
 * Numeric columns in the segment explorer are cut at their quantiles (computed by the database);
 * this turns the cut points into bins and readable labels. Bin k holds values in
 * [cut[k-1], cut[k]) as PostgreSQL's width_bucket(value, cuts) numbers them: 0 below the first cut,
 * cuts.length at or above the last.
 */

export const DEFAULT_QUANTILE_BINS = 4;

/** Fractions 1/bins … (bins-1)/bins for percentile_cont. */
export function quantileFractions(bins = DEFAULT_QUANTILE_BINS): number[] {
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError("At least two bins");
  return Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins);
}

/** Sorted distinct finite cut points (repeated quantiles of skewed columns collapse). */
export function distinctCuts(cuts: readonly (number | null)[]): number[] {
  const out: number[] = [];
  for (const c of cuts) if (c !== null && Number.isFinite(c) && !out.includes(c)) out.push(c);
  return out.sort((a, b) => a - b);
}

export function formatCut(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}

export interface NumericBin {
  /** width_bucket's number: 0 … cuts.length. */
  index: number;
  lower: number | null;
  upper: number | null;
  /** "under 9", "9 to under 29", "56 and over". */
  label: string;
}

export function numericBins(cuts: readonly number[]): NumericBin[] {
  const bins: NumericBin[] = [];
  for (let k = 0; k <= cuts.length; k++) {
    const lower = k === 0 ? null : cuts[k - 1];
    const upper = k === cuts.length ? null : cuts[k];
    let label: string;
    if (lower === null && upper === null) label = "all";
    else if (lower === null) label = `under ${formatCut(upper as number)}`;
    else if (upper === null) label = `${formatCut(lower)} and over`;
    else label = `${formatCut(lower)} to under ${formatCut(upper)}`;
    bins.push({ index: k, lower, upper, label });
  }
  return bins;
}
