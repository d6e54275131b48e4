/**
 * A small, weighted reference set for model-agnostic Shapley values: k-means (k-means++ seeding,
 * Arthur & Vassilvitskii 2007, then Lloyd iterations) on standardised rows, each centroid replaced by
 * its nearest real row so one-hot columns stay valid, weighted by its cluster's share of the data.
 * This is the idea of shap's `kmeans` background summary, with real rows instead of centroids.
 */
import { createRng, shuffleInPlace } from "../random";
import type { Matrix } from "../types";
import { weightedColumnStats } from "./fit-inputs";

export interface Background {
  /** Real training rows, on the caller's feature scale. */
  readonly rows: Matrix;
  /** Sums to 1. */
  readonly weights: Float64Array;
}

export interface BackgroundOptions {
  size: number;
  seed: number;
  /** k-means runs on at most this many rows (seeded sample), which bounds its cost. */
  maxRows: number;
  iterations: number;
}

export const BACKGROUND_DEFAULTS: Readonly<Omit<BackgroundOptions, "size" | "seed">> = Object.freeze({
  maxRows: 500,
  iterations: 8,
});

export function selectBackground(
  X: Matrix,
  sampleWeight: Float64Array | undefined,
  options: Pick<BackgroundOptions, "size" | "seed"> & Partial<BackgroundOptions>,
): Background {
  const { size, seed, maxRows, iterations } = { ...BACKGROUND_DEFAULTS, ...options };
  const d = X.cols;
  const weightOf = (i: number) => (sampleWeight ? sampleWeight[i] : 1);
  const candidates: number[] = [];
  for (let i = 0; i < X.rows; i++) if (weightOf(i) > 0) candidates.push(i);
  const rng = createRng(seed);
  if (candidates.length > maxRows) {
    shuffleInPlace(candidates, rng);
    candidates.length = maxRows;
    candidates.sort((a, b) => a - b);
  }
  const m = candidates.length;
  const k = Math.min(size, m);
  if (k < 1) throw new Error("Cannot choose a background from data without rows of positive weight");

  // Standardise so that unscaled columns (TotalCharges) do not decide the clusters alone.
  const unit = new Float64Array(m).fill(1);
  const sample = new Float64Array(m * d);
  for (let r = 0; r < m; r++) sample.set(X.data.subarray(candidates[r] * d, (candidates[r] + 1) * d), r * d);
  const { mean, scale } = weightedColumnStats({ data: sample, rows: m, cols: d }, unit);
  for (let r = 0; r < m; r++)
    for (let j = 0; j < d; j++) sample[r * d + j] = (sample[r * d + j] - mean[j]) / scale[j];
  const w = Float64Array.from(candidates, weightOf);

  const distance = (r: number, centroids: Float64Array, c: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const diff = sample[r * d + j] - centroids[c * d + j];
      s += diff * diff;
    }
    return s;
  };

  // k-means++ seeding, weighted by sample weight.
  const centroids = new Float64Array(k * d);
  const nearest = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
  const pickProportional = (mass: (r: number) => number, total: number): number => {
    let target = rng.next() * total;
    let r = 0;
    for (; r < m - 1; r++) {
      if (target < mass(r)) break;
      target -= mass(r);
    }
    return r;
  };
  let totalWeight = 0;
  for (let r = 0; r < m; r++) totalWeight += w[r];
  const first = pickProportional((r) => w[r], totalWeight);
  centroids.set(sample.subarray(first * d, (first + 1) * d), 0);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let r = 0; r < m; r++) {
      nearest[r] = Math.min(nearest[r], distance(r, centroids, c - 1));
      total += w[r] * nearest[r];
    }
    const pick = total > 0 ? pickProportional((r) => w[r] * nearest[r], total) : rng.int(m);
    centroids.set(sample.subarray(pick * d, (pick + 1) * d), c * d);
  }

  const assignment = new Int32Array(m);
  const assign = () => {
    for (let r = 0; r < m; r++) {
      let best = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const dist = distance(r, centroids, c);
        if (dist < bestDistance) {
          bestDistance = dist;
          best = c;
        }
      }
      assignment[r] = best;
    }
  };
  const clusterWeight = new Float64Array(k);
  for (let it = 0; it < iterations; it++) {
    assign();
    const sums = new Float64Array(k * d);
    clusterWeight.fill(0);
    for (let r = 0; r < m; r++) {
      const c = assignment[r];
      clusterWeight[c] += w[r];
      for (let j = 0; j < d; j++) sums[c * d + j] += w[r] * sample[r * d + j];
    }
    // An emptied cluster keeps its old centroid.
    for (let c = 0; c < k; c++) {
      if (clusterWeight[c] > 0)
        for (let j = 0; j < d; j++) centroids[c * d + j] = sums[c * d + j] / clusterWeight[c];
    }
  }
  assign();
  clusterWeight.fill(0);
  for (let r = 0; r < m; r++) clusterWeight[assignment[r]] += w[r];

  // Each centroid -> nearest real row; two centroids choosing the same row merge their weights.
  const chosen = new Map<number, number>();
  for (let c = 0; c < k; c++) {
    if (clusterWeight[c] === 0) continue;
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let r = 0; r < m; r++) {
      if (assignment[r] !== c) continue;
      const dist = distance(r, centroids, c);
      if (dist < bestDistance) {
        bestDistance = dist;
        best = r;
      }
    }
    chosen.set(best, (chosen.get(best) ?? 0) + clusterWeight[c]);
  }
  const picked = [...chosen.keys()].sort((a, b) => a - b);
  let total = 0;
  for (const r of picked) total += chosen.get(r)!;
  const rows = new Float64Array(picked.length * d);
  const weights = new Float64Array(picked.length);
  picked.forEach((r, t) => {
    const src = candidates[r] * d;
    rows.set(X.data.subarray(src, src + d), t * d);
    weights[t] = chosen.get(r)! / total;
  });
  return { rows: { data: rows, rows: picked.length, cols: d }, weights };
}
