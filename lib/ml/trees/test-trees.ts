/** Test factories for the tree folder: random trees and brute-force Shapley values. */
import { createRng } from "../random";
import type { Labels, Matrix } from "../types";
import { isMissingValue } from "./binning";
import { createTree, type Tree } from "./tree";

/**
 * A random tree over nFeatures features with thresholds in [0, 1), random leaf values and
 * positive covers that add up (internal cover = sum of its children), children after parents.
 */
export function randomTree(seed: number, nFeatures: number, maxDepth: number, splitProbability = 0.8): Tree {
  const rng = createRng(seed);
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const cover: number[] = [];
  const defaultLeft: number[] = [];
  const build = (depth: number): number => {
    const id = feature.length;
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(rng.next() * 2 - 1);
    cover.push(0);
    defaultLeft.push(0);
    if ((depth === 0 || rng.next() < splitProbability) && depth < maxDepth) {
      feature[id] = rng.int(nFeatures);
      threshold[id] = rng.next();
      defaultLeft[id] = rng.int(2);
      const l = build(depth + 1);
      const r = build(depth + 1);
      left[id] = l;
      right[id] = r;
      cover[id] = cover[l] + cover[r];
    } else {
      cover[id] = 1 + rng.int(20);
    }
    return id;
  };
  build(0);
  return createTree({
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
    cover: Float64Array.from(cover),
    defaultLeft: Uint8Array.from(defaultLeft),
  });
}

/**
 * A churn-like data set with known signal: short tenure, a month-to-month flag and high charges
 * raise churn odds; one column is pure noise, one binary noise, one has 20% missing values whose
 * missingness itself carries signal.
 */
export function syntheticChurn(seed: number, rows: number): { X: Matrix; y: Labels } {
  const rng = createRng(seed);
  const cols = 6;
  const data = new Float64Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const tenure = rng.int(73);
    const isMonthly = rng.next() < 0.5 ? 1 : 0;
    const charges = 20 + rng.next() * 100;
    const isMissing = rng.next() < 0.2;
    const usage = isMissing ? Number.NaN : rng.next();
    data.set([tenure, isMonthly, charges, rng.normal(), rng.int(2), usage], r * cols);
    const logit = 0.5 - 0.06 * tenure + 1.5 * isMonthly + 0.02 * (charges - 70) + (isMissing ? 1 : -usage);
    y[r] = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return { X: { data, rows, cols }, y };
}

/** ROC AUC by the rank-sum (Mann-Whitney) formula, ties counted half. */
export function auc(scores: ArrayLike<number>, y: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && scores[order[j]] === scores[order[i]]) j++;
    const midRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) {
      if (y[order[k]] === 1) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** E[f(x) | x_S] of the path-dependent definition: follow x on features in S, else average by cover. */
function conditionalExpectation(
  tree: Tree,
  x: ArrayLike<number>,
  inS: (f: number) => boolean,
  node = 0,
): number {
  const f = tree.feature[node];
  if (f < 0) return tree.value[node];
  const l = tree.left[node];
  const r = tree.right[node];
  if (inS(f)) {
    const v = x[f];
    const goesLeft = isMissingValue(v) ? tree.defaultLeft[node] === 1 : v <= tree.threshold[node];
    return conditionalExpectation(tree, x, inS, goesLeft ? l : r);
  }
  return (
    (tree.cover[l] * conditionalExpectation(tree, x, inS, l) +
      tree.cover[r] * conditionalExpectation(tree, x, inS, r)) /
    tree.cover[node]
  );
}

function factorial(n: number): number {
  let out = 1;
  for (let i = 2; i <= n; i++) out *= i;
  return out;
}

/** Shapley values by enumerating every coalition of the nFeatures players (2^M subsets). */
export function bruteForceShap(tree: Tree, x: ArrayLike<number>, nFeatures: number): Float64Array {
  const phi = new Float64Array(nFeatures);
  const M = nFeatures;
  for (let i = 0; i < M; i++) {
    for (let mask = 0; mask < 1 << M; mask++) {
      if (mask & (1 << i)) continue;
      let size = 0;
      for (let j = 0; j < M; j++) if (mask & (1 << j)) size++;
      const weight = (factorial(size) * factorial(M - size - 1)) / factorial(M);
      const withI = conditionalExpectation(tree, x, (f) => ((mask | (1 << i)) & (1 << f)) !== 0);
      const without = conditionalExpectation(tree, x, (f) => (mask & (1 << f)) !== 0);
      phi[i] += weight * (withI - without);
    }
  }
  return phi;
}
