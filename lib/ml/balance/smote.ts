/**
 * SMOTE and SMOTE-NC oversampling (Chawla, Bowyer, Hall & Kegelmeyer 2002, "SMOTE: Synthetic
 * Minority Over-sampling Technique", sections 4.2 and 6.1). Written in-house: there is no
 * maintained JavaScript implementation, and this one works on the library's typed-array Matrix.
 *
 * A synthetic row lies on the segment between a minority training row and one of its k nearest
 * minority neighbours (numeric columns: x + u * (neighbour - x), u uniform in [0, 1)). With
 * categorical groups (SMOTE-NC), each group takes the value most common among the k neighbours,
 * and the distance adds Med^2 for every group that differs, Med being the median of the standard
 * deviations of the numeric columns over the minority rows.
 *
 * Neighbours are found by brute force on typed arrays: O(m^2 * columns) for m minority rows,
 * about 1,500 x 1,500 x 50 operations on a Telco training fold, a few tens of milliseconds. A
 * k-d tree would not pay off at this size and dimension.
 *
 * Give it TRAINING rows only (inside each cross-validation fold, after the split): synthetic rows
 * interpolate the rows they are given, so oversampling before the split leaks validation rows.
 */
import { checkInterrupt } from "../interrupt";
import { createRng } from "../random";
import type { Labels, Matrix } from "../types";

export interface SmoteOptions {
  /** Neighbours considered per minority row. Default 5 (capped at minority rows - 1). */
  k?: number;
  /** Seed of the base/neighbour/gap choices. Default 0. */
  seed?: number;
  /** Minority / majority size after oversampling. Default 1 (equal classes). */
  ratio?: number;
  /**
   * Encoded 0/1 columns that form one categorical value each (one-hot groups, two-valued columns,
   * missing flags: FeaturePipeline.categoricalGroups). Default none: plain SMOTE on all columns.
   */
  categoricalGroups?: readonly { readonly columns: readonly number[] }[];
}

export interface SmoteResult {
  /** The input rows, unchanged and in order, followed by the synthetic rows. */
  X: Matrix;
  y: Labels;
  syntheticCount: number;
  minorityClass: 0 | 1;
  /** Per synthetic row, the input rows it was made from: [base, neighbour] pairs. */
  parents: Int32Array;
}

export function smote(X: Matrix, y: Labels, options: SmoteOptions = {}): SmoteResult {
  if (y.length !== X.rows) throw new Error(`SMOTE: ${X.rows} rows but ${y.length} labels`);
  const ratio = options.ratio ?? 1;
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i];
  const minorityClass: 0 | 1 = positives <= y.length - positives ? 1 : 0;
  const minority: number[] = [];
  for (let i = 0; i < y.length; i++) if (y[i] === minorityClass) minority.push(i);
  const m = minority.length;
  const majority = y.length - m;
  const wanted = Math.max(0, Math.round(ratio * majority) - m);
  const k = Math.min(options.k ?? 5, m - 1);
  if (wanted === 0 || k < 1) {
    return {
      X: { data: X.data.slice(), rows: X.rows, cols: X.cols },
      y: y.slice(),
      syntheticCount: 0,
      minorityClass,
      parents: new Int32Array(0),
    };
  }

  const cols = X.cols;
  const groups = (options.categoricalGroups ?? []).filter((g) => g.columns.length > 0);
  const inGroup = new Uint8Array(cols);
  for (const g of groups) {
    for (const c of g.columns) {
      if (c < 0 || c >= cols) throw new Error(`SMOTE: categorical column ${c} is outside 0..${cols - 1}`);
      inGroup[c] = 1;
    }
  }
  const numericCols: number[] = [];
  for (let c = 0; c < cols; c++) if (!inGroup[c]) numericCols.push(c);

  // Minority rows as a compact numeric block and a category id per group.
  const p = numericCols.length;
  const G = groups.length;
  const num = new Float64Array(m * p);
  const cat = new Int32Array(m * G);
  for (let a = 0; a < m; a++) {
    const base = minority[a] * cols;
    for (let j = 0; j < p; j++) num[a * p + j] = X.data[base + numericCols[j]];
    for (let g = 0; g < G; g++) cat[a * G + g] = categoryOf(X.data, base, groups[g].columns);
  }
  const med = G > 0 ? medianStd(num, m, p) : 0;
  const penalty = med * med;

  const singleColumnGroup = Uint8Array.from(groups, (g) => (g.columns.length === 1 ? 1 : 0));
  const neighbours = nearestNeighbours(num, cat, m, p, G, k, penalty, singleColumnGroup);

  // Per minority row, the majority category of each group among its neighbours (SMOTE-NC).
  const votedCategory = new Int32Array(m * G);
  if (G > 0) {
    const tally = new Map<number, number>();
    for (let a = 0; a < m; a++) {
      for (let g = 0; g < G; g++) {
        tally.clear();
        for (let t = 0; t < k; t++) {
          const id = cat[neighbours[a * k + t] * G + g];
          tally.set(id, (tally.get(id) ?? 0) + 1);
        }
        const own = cat[a * G + g];
        let best = own;
        let bestCount = tally.get(own) ?? 0;
        for (const [id, count] of tally) {
          // Ties keep the row's own value, then the smaller id, so the result is deterministic.
          if (count > bestCount || (count === bestCount && best !== own && id < best)) {
            best = id;
            bestCount = count;
          }
        }
        votedCategory[a * G + g] = best;
      }
    }
  }

  const rng = createRng(options.seed ?? 0);
  const total = X.rows + wanted;
  const out = new Float64Array(total * cols);
  out.set(X.data);
  const labels = new Uint8Array(total);
  labels.set(y);
  const parents = new Int32Array(wanted * 2);
  for (let s = 0; s < wanted; s++) {
    const a = rng.int(m);
    const b = neighbours[a * k + rng.int(k)];
    const gap = rng.next();
    const row = (X.rows + s) * cols;
    const baseRow = minority[a] * cols;
    const neighbourRow = minority[b] * cols;
    for (let j = 0; j < p; j++) {
      const c = numericCols[j];
      const x = X.data[baseRow + c];
      out[row + c] = x + gap * (X.data[neighbourRow + c] - x);
    }
    for (let g = 0; g < G; g++) writeCategory(out, row, groups[g].columns, votedCategory[a * G + g]);
    labels[X.rows + s] = minorityClass;
    parents[2 * s] = minority[a];
    parents[2 * s + 1] = minority[b];
  }
  return { X: { data: out, rows: total, cols }, y: labels, syntheticCount: wanted, minorityClass, parents };
}

/**
 * Category id of a row within a group: for one column, its 0/1 value; for several (one-hot),
 * the index of the column set to 1, or -1 when none is (an all-zero row).
 */
function categoryOf(data: Float64Array, base: number, columns: readonly number[]): number {
  if (columns.length === 1) return data[base + columns[0]] > 0.5 ? 1 : 0;
  let best = -1;
  let bestValue = 0.5;
  for (let t = 0; t < columns.length; t++) {
    const v = data[base + columns[t]];
    if (v > bestValue) {
      best = t;
      bestValue = v;
    }
  }
  return best;
}

function writeCategory(out: Float64Array, row: number, columns: readonly number[], id: number): void {
  if (columns.length === 1) {
    out[row + columns[0]] = id;
    return;
  }
  for (let t = 0; t < columns.length; t++) out[row + columns[t]] = t === id ? 1 : 0;
}

/** Median over numeric columns of their standard deviation among the minority rows. */
function medianStd(num: Float64Array, m: number, p: number): number {
  if (p === 0) return 1;
  const stds = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let sum = 0;
    for (let a = 0; a < m; a++) sum += num[a * p + j];
    const mean = sum / m;
    let ss = 0;
    for (let a = 0; a < m; a++) {
      const d = num[a * p + j] - mean;
      ss += d * d;
    }
    stds[j] = Math.sqrt(ss / Math.max(1, m - 1));
  }
  stds.sort();
  return p % 2 ? stds[(p - 1) / 2] : (stds[p / 2 - 1] + stds[p / 2]) / 2;
}

/**
 * The k nearest other minority rows of each minority row (indices into the minority block).
 * Each pair's distance is computed once and offered to both rows' top-k lists; candidates reach
 * every list in increasing row order, so ties keep the earlier row, as a one-sided scan would.
 * Single-column groups (two-valued columns, missing flags) are packed into bit words and
 * compared 32 at a time with XOR + popcount; one-hot groups compare category ids.
 */
function nearestNeighbours(
  num: Float64Array,
  cat: Int32Array,
  m: number,
  p: number,
  G: number,
  k: number,
  penalty: number,
  singleColumnGroup: Uint8Array,
): Int32Array {
  const multi: number[] = [];
  const single: number[] = [];
  for (let g = 0; g < G; g++) (singleColumnGroup[g] ? single : multi).push(g);
  const words = Math.ceil(single.length / 32);
  const bits = new Int32Array(m * words);
  const mg = multi.length;
  const ids = new Int32Array(m * mg);
  for (let a = 0; a < m; a++) {
    single.forEach((g, t) => {
      if (cat[a * G + g] === 1) bits[a * words + (t >>> 5)] |= 1 << (t & 31);
    });
    multi.forEach((g, t) => {
      ids[a * mg + t] = cat[a * G + g];
    });
  }

  const bestDist = new Float64Array(m * k).fill(Number.POSITIVE_INFINITY);
  const bestIdx = new Int32Array(m * k).fill(-1);
  const offer = (row: number, candidate: number, d: number) => {
    const o = row * k;
    if (d >= bestDist[o + k - 1]) return;
    let t = k - 1;
    while (t > 0 && bestDist[o + t - 1] > d) {
      bestDist[o + t] = bestDist[o + t - 1];
      bestIdx[o + t] = bestIdx[o + t - 1];
      t--;
    }
    bestDist[o + t] = d;
    bestIdx[o + t] = candidate;
  };
  for (let a = 0; a < m; a++) {
    if ((a & 63) === 0) checkInterrupt();
    const ao = a * p;
    for (let b = a + 1; b < m; b++) {
      let d = 0;
      const bo = b * p;
      for (let j = 0; j < p; j++) {
        const diff = num[ao + j] - num[bo + j];
        d += diff * diff;
      }
      if (G > 0) {
        let differing = 0;
        for (let w = 0; w < words; w++) differing += popcount(bits[a * words + w] ^ bits[b * words + w]);
        for (let t = 0; t < mg; t++) if (ids[a * mg + t] !== ids[b * mg + t]) differing++;
        d += differing * penalty;
      }
      offer(a, b, d);
      offer(b, a, d);
    }
  }
  return bestIdx;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
