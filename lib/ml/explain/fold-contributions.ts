import type { Explanation } from "../types";

/**
 * Folding per-encoded-feature attributions into per-original-column ones. Shapley values are
 * additive over features, so the attribution of a group of features (all one-hot parts of
 * Contract) is the sum of its members' values, and additivity survives the fold.
 */

/**
 * Original column(s) each encoded feature was built from. A feature built from several columns
 * (an engineered ratio) has its value split equally among them: the Shapley value of a group
 * is not split by any more principled rule without re-running the explainer on columns.
 */
export type FeatureSources = readonly (string | readonly string[])[];

/** Row-major attributions per original column, columns in first-seen order of `sources`. */
export interface ColumnContributions {
  readonly columns: readonly string[];
  readonly values: Float64Array;
  readonly rows: number;
}

export function foldContributions(
  explanation: Pick<Explanation, "values" | "rows" | "cols">,
  sources: FeatureSources,
): ColumnContributions {
  const { values, rows, cols } = explanation;
  if (sources.length !== cols) {
    throw new Error(`Got ${sources.length} feature sources for ${cols} encoded features`);
  }
  const columns: string[] = [];
  const columnIndex = new Map<string, number>();
  // Flattened (feature, column, share) triples so the per-row loop is branch-free.
  const featureOf: number[] = [];
  const columnOf: number[] = [];
  const shareOf: number[] = [];
  sources.forEach((source, feature) => {
    const names = typeof source === "string" ? [source] : source;
    if (names.length === 0) throw new Error(`Encoded feature ${feature} has no source column`);
    for (const name of names) {
      let c = columnIndex.get(name);
      if (c === undefined) {
        c = columns.length;
        columns.push(name);
        columnIndex.set(name, c);
      }
      featureOf.push(feature);
      columnOf.push(c);
      shareOf.push(1 / names.length);
    }
  });
  const width = columns.length;
  const out = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const src = r * cols;
    const dst = r * width;
    for (let k = 0; k < featureOf.length; k++)
      out[dst + columnOf[k]] += values[src + featureOf[k]] * shareOf[k];
  }
  return { columns, values: out, rows };
}

export interface ColumnImportance {
  readonly column: string;
  /** Mean absolute attribution over the explained rows. */
  readonly meanAbs: number;
}

/** Global importance = mean |attribution| per column, most important first. */
export function meanAbsoluteImportance(folded: ColumnContributions): ColumnImportance[] {
  const { columns, values, rows } = folded;
  const width = columns.length;
  const sums = new Float64Array(width);
  for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) sums[c] += Math.abs(values[r * width + c]);
  return columns
    .map((column, c) => ({ column, meanAbs: rows ? sums[c] / rows : 0 }))
    .sort((a, b) => b.meanAbs - a.meanAbs || a.column.localeCompare(b.column));
}
