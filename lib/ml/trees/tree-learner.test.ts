import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import type { Matrix } from "../types";
import { type BinnedMatrix, binMatrix } from "./binning";
import { leafIndex, predictTree, type Tree } from "./tree";
import { HistogramTreeLearner, type TreeGrowthOptions } from "./tree-learner";

const BASE_OPTIONS: TreeGrowthOptions = {
  maxDepth: 4,
  minChildWeight: 0.5,
  minSamplesLeaf: 3,
  lambda: 1,
  gamma: 0,
  featureFraction: 1,
};

function randomProblem(seed: number, rows: number, cols: number) {
  const rng = createRng(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    const c = i % cols;
    if (c === 0 && rng.next() < 0.2) data[i] = Number.NaN;
    else if (c % 3 === 1)
      data[i] = rng.int(2); // two-valued: the learner's register-sum path
    else data[i] = c % 3 === 2 ? rng.int(5) : rng.next();
  }
  const X: Matrix = { data, rows, cols };
  const grad = Float64Array.from({ length: rows }, () => rng.normal());
  const hess = Float64Array.from({ length: rows }, () => 0.1 + rng.next());
  return { X, grad, hess, rng };
}

interface NaiveNode {
  feature: number;
  bin: number;
  defaultLeft: boolean;
  value: number;
  left?: NaiveNode;
  right?: NaiveNode;
}

/** Exact greedy search over bins, straight from the definitions, one histogram per node and feature. */
function naiveTree(
  binned: BinnedMatrix,
  grad: Float64Array,
  hess: Float64Array,
  rows: number[],
  options: TreeGrowthOptions,
  depth = 0,
): NaiveNode {
  const { lambda, gamma, minChildWeight, minSamplesLeaf } = options;
  let G = 0;
  let H = 0;
  for (const r of rows) {
    G += grad[r];
    H += hess[r];
  }
  const C = rows.length;
  const leaf: NaiveNode = { feature: -1, bin: -1, defaultLeft: false, value: -G / (H + lambda) };
  if (depth >= options.maxDepth || C < 2 * minSamplesLeaf || H < 2 * minChildWeight) return leaf;
  let best = { gain: 0, feature: -1, bin: -1, defaultLeft: false };
  for (let f = 0; f < binned.cols; f++) {
    const k = binned.binCounts[f];
    if (k < 3) continue;
    const g = new Float64Array(k);
    const h = new Float64Array(k);
    const c = new Float64Array(k);
    for (const r of rows) {
      const b = binned.bins[f * binned.rows + r];
      g[b] += grad[r];
      h[b] += hess[r];
      c[b] += 1;
    }
    let lg = 0;
    let lh = 0;
    let lc = 0;
    for (let b = 1; b < k - 1; b++) {
      if (c[b] === 0) continue;
      lg += g[b];
      lh += h[b];
      lc += c[b];
      for (const missingLeft of [false, true]) {
        if (missingLeft && c[0] === 0) continue;
        const gl = lg + (missingLeft ? g[0] : 0);
        const hl = lh + (missingLeft ? h[0] : 0);
        const cl = lc + (missingLeft ? c[0] : 0);
        const [gr, hr, cr] = [G - gl, H - hl, C - cl];
        if (cl < minSamplesLeaf || cr < minSamplesLeaf || hl < minChildWeight || hr < minChildWeight)
          continue;
        const score = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - (G * G) / (H + lambda);
        const gain = 0.5 * score - gamma;
        if (score > 1e-10 * ((gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda)) && gain > best.gain) {
          best = { gain, feature: f, bin: b, defaultLeft: c[0] > 0 ? missingLeft : hl >= hr };
        }
      }
    }
  }
  if (best.feature < 0) return leaf;
  const goesLeft = (r: number) => {
    const b = binned.bins[best.feature * binned.rows + r];
    return b === 0 ? best.defaultLeft : b <= best.bin;
  };
  return {
    ...leaf,
    feature: best.feature,
    bin: best.bin,
    defaultLeft: best.defaultLeft,
    left: naiveTree(binned, grad, hess, rows.filter(goesLeft), options, depth + 1),
    right: naiveTree(
      binned,
      grad,
      hess,
      rows.filter((r) => !goesLeft(r)),
      options,
      depth + 1,
    ),
  };
}

function expectSameTree(tree: Tree, node: number, naive: NaiveNode, binned: BinnedMatrix): void {
  expect(tree.feature[node]).toBe(naive.feature);
  expect(tree.value[node]).toBeCloseTo(naive.value, 10);
  if (naive.feature < 0) return;
  expect(tree.threshold[node]).toBe(binned.thresholds[binned.binOffsets[naive.feature] + naive.bin]);
  expect(tree.defaultLeft[node] === 1).toBe(naive.defaultLeft);
  expectSameTree(tree, tree.left[node], naive.left as NaiveNode, binned);
  expectSameTree(tree, tree.right[node], naive.right as NaiveNode, binned);
}

function leafRowCounts(tree: Tree, X: Matrix, rows: ArrayLike<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) {
    const leaf = leafIndex(tree, X.data, rows[i] * X.cols);
    counts.set(leaf, (counts.get(leaf) ?? 0) + 1);
  }
  return counts;
}

function allRows(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

describe("HistogramTreeLearner", () => {
  it("grows the same tree as an exhaustive greedy search (histogram subtraction, partitions, missing values)", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const { X, grad, hess, rng } = randomProblem(seed, 400, 12);
      const binned = binMatrix(X);
      const rows = allRows(X.rows).filter(() => rng.next() < 0.8);
      const learner = new HistogramTreeLearner(binned);
      // Nodes of a few rows can tie exactly between two features that split them identically,
      // and rounding then decides; 8 rows per leaf keeps such ties out of the comparison.
      const options = { ...BASE_OPTIONS, maxDepth: 3 + (seed % 3), minSamplesLeaf: 8 };
      const tree = learner.grow({ grad, hess, rows, rng }, options);
      expect(tree.nodeCount).toBeGreaterThan(7);
      expectSameTree(tree, 0, naiveTree(binned, grad, hess, Array.from(rows), options), binned);
    }
  });

  it("keeps covers additive and routes raw training rows to the leaves they were grown in", () => {
    const { X, grad, hess, rng } = randomProblem(11, 500, 5);
    const learner = new HistogramTreeLearner(binMatrix(X));
    const rows = allRows(X.rows).filter(() => rng.next() < 0.7);
    const tree = learner.grow({ grad, hess, rows, rng }, { ...BASE_OPTIONS, maxDepth: 6 });
    let hessianSum = 0;
    for (const r of rows) hessianSum += hess[r];
    expect(tree.cover[0]).toBeCloseTo(hessianSum, 10);
    for (let node = 0; node < tree.nodeCount; node++) {
      if (tree.feature[node] < 0) continue;
      expect(tree.cover[tree.left[node]] + tree.cover[tree.right[node]]).toBeCloseTo(tree.cover[node], 10);
      expect(tree.left[node]).toBeGreaterThan(node);
    }
    const viaPartition = new Float64Array(X.rows);
    learner.addLeafValues(tree, viaPartition);
    for (const r of rows) expect(viaPartition[r]).toBe(predictTree(tree, X.data, r * X.cols));
    // Rows left out of the tree are routed on their bins to the same leaves as their raw values.
    const isGrownOn = new Uint8Array(X.rows);
    for (const r of rows) isGrownOn[r] = 1;
    const others = new Float64Array(X.rows);
    learner.addLeafValuesOfOtherRows(tree, others, isGrownOn);
    let checked = 0;
    for (let r = 0; r < X.rows; r++) {
      if (isGrownOn[r] === 1) continue;
      expect(others[r]).toBe(predictTree(tree, X.data, r * X.cols));
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("respects maxDepth, minSamplesLeaf and minChildWeight", () => {
    const { X, grad, hess, rng } = randomProblem(12, 600, 4);
    const learner = new HistogramTreeLearner(binMatrix(X));
    const rows = allRows(X.rows);
    const tree = learner.grow(
      { grad, hess, rows, rng },
      { ...BASE_OPTIONS, maxDepth: 5, minSamplesLeaf: 40, minChildWeight: 30 },
    );
    expect(tree.depth).toBeLessThanOrEqual(5);
    expect(tree.nodeCount).toBeGreaterThan(3);
    for (const [leaf, count] of leafRowCounts(tree, X, rows)) {
      expect(count).toBeGreaterThanOrEqual(40);
      expect(tree.cover[leaf]).toBeGreaterThanOrEqual(30);
    }
  });

  it("grows best-first up to maxLeaves", () => {
    const { X, grad, hess, rng } = randomProblem(13, 800, 5);
    const learner = new HistogramTreeLearner(binMatrix(X));
    const options = { ...BASE_OPTIONS, maxDepth: 10, minSamplesLeaf: 2, maxLeaves: 7 };
    const tree = learner.grow({ grad, hess, rows: allRows(X.rows), rng }, options);
    expect((tree.nodeCount + 1) / 2).toBe(7);
    // The root split is the globally best one, as in depth-wise growth.
    const depthWise = learner.grow(
      { grad, hess, rows: allRows(X.rows), rng },
      { ...options, maxLeaves: undefined },
    );
    expect(tree.feature[0]).toBe(depthWise.feature[0]);
    expect(tree.threshold[0]).toBe(depthWise.threshold[0]);
  });

  it("does not split when gamma exceeds every gain", () => {
    const { X, grad, hess, rng } = randomProblem(14, 300, 4);
    const tree = new HistogramTreeLearner(binMatrix(X)).grow(
      { grad, hess, rows: allRows(X.rows), rng },
      { ...BASE_OPTIONS, gamma: 1e9 },
    );
    expect(tree.nodeCount).toBe(1);
  });

  it("with g = -y, h = 1 and lambda 0 finds the informative feature and stores class rates", () => {
    const rng = createRng(15);
    const rows = 1000;
    const data = new Float64Array(rows * 3);
    const y = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      data[r * 3] = rng.next();
      data[r * 3 + 1] = rng.int(100) / 100; // < 256 distinct values: one bin each, exact split
      data[r * 3 + 2] = rng.int(2);
      y[r] = data[r * 3 + 1] > 0.6 ? 1 : 0;
    }
    const grad = Float64Array.from(y, (v) => -v);
    const hess = new Float64Array(rows).fill(1);
    const X = { data, rows, cols: 3 };
    const tree = new HistogramTreeLearner(binMatrix(X)).grow(
      { grad, hess, rows: allRows(rows), rng },
      { ...BASE_OPTIONS, lambda: 0, minChildWeight: 0, minSamplesLeaf: 1, maxDepth: 1 },
    );
    expect(tree.feature[0]).toBe(1);
    expect(tree.threshold[0]).toBeGreaterThan(0.59);
    expect(tree.threshold[0]).toBeLessThan(0.61);
    expect(tree.value[tree.left[0]]).toBe(0);
    expect(tree.value[tree.right[0]]).toBe(1);
  });

  it("learns where missing values go", () => {
    const rng = createRng(16);
    const rows = 600;
    const data = new Float64Array(rows);
    const grad = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const isMissing = rng.next() < 0.3;
      data[r] = isMissing ? Number.NaN : rng.next();
      // Missing rows look like high values: they should follow the high branch.
      grad[r] = isMissing || data[r] > 0.5 ? -1 : 1;
    }
    const X = { data, rows, cols: 1 };
    const tree = new HistogramTreeLearner(binMatrix(X)).grow(
      { grad, hess: new Float64Array(rows).fill(1), rows: allRows(rows), rng },
      { ...BASE_OPTIONS, maxDepth: 1 },
    );
    expect(tree.defaultLeft[0]).toBe(0);
    expect(predictTree(tree, Float64Array.of(Number.NaN), 0)).toBeGreaterThan(0.5);
    expect(predictTree(tree, Float64Array.of(0.1), 0)).toBeLessThan(-0.5);
  });

  it("samples features per node deterministically from the seed", () => {
    const { X, grad, hess } = randomProblem(17, 500, 8);
    const learner = new HistogramTreeLearner(binMatrix(X));
    const options = { ...BASE_OPTIONS, featureFraction: 0.25, maxDepth: 6 };
    const grow = (seed: number) =>
      learner.grow({ grad, hess, rows: allRows(X.rows), rng: createRng(seed) }, options);
    const a = grow(1);
    const b = grow(1);
    expect(Array.from(b.feature)).toEqual(Array.from(a.feature));
    expect(Array.from(b.threshold)).toEqual(Array.from(a.threshold));
    const others = [2, 3, 4, 5].map((seed) => Array.from(grow(seed).feature).join());
    expect(others.some((features) => features !== Array.from(a.feature).join())).toBe(true);
  });

  it("only uses the features it is given", () => {
    const { X, grad, hess, rng } = randomProblem(18, 400, 6);
    const tree = new HistogramTreeLearner(binMatrix(X)).grow(
      { grad, hess, rows: allRows(X.rows), rng, features: Int32Array.of(1, 4) },
      BASE_OPTIONS,
    );
    for (const f of tree.feature) expect([-1, 1, 4]).toContain(f);
  });
});
