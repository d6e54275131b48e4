import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { bruteForceShap, randomTree } from "./test-trees";
import { predictTree, type Tree, treeExpectedValue } from "./tree";
import { EnsembleShapExplainer, ensembleExpectedValue, TreeShapWorkspace } from "./tree-shap";
import { MAX_TABLE_PATH_FEATURES, TreeShapTable } from "./tree-shap-table";

function randomRow(seed: number, nFeatures: number, missingRate = 0.15): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: nFeatures }, () => (rng.next() < missingRate ? Number.NaN : rng.next()));
}

function algorithm2(tree: Tree, x: Float64Array, nFeatures: number): Float64Array {
  const phi = new Float64Array(nFeatures);
  new TreeShapWorkspace(tree.depth).addTreeShap(tree, x, 0, phi, 0, 1);
  return phi;
}

function tabulated(tree: Tree, x: Float64Array, nFeatures: number): Float64Array {
  const table = TreeShapTable.build(tree);
  if (table === null) throw new Error("expected a table");
  const phi = new Float64Array(nFeatures);
  table.addShap(x, 0, phi, 0, 1, new Int32Array(tree.nodeCount));
  return phi;
}

describe("TreeSHAP", () => {
  it("Algorithm 2 and the tables match brute-force Shapley values on small random trees with 3-5 features", () => {
    let checked = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const nFeatures = 3 + (seed % 3);
      const tree = randomTree(seed, nFeatures, 2 + (seed % 5));
      for (let r = 0; r < 4; r++) {
        const x = randomRow(seed * 100 + r, nFeatures);
        const expected = bruteForceShap(tree, x, nFeatures);
        const viaAlgorithm2 = algorithm2(tree, x, nFeatures);
        const viaTable = tabulated(tree, x, nFeatures);
        for (let f = 0; f < nFeatures; f++) {
          expect(viaAlgorithm2[f]).toBeCloseTo(expected[f], 12);
          expect(viaTable[f]).toBeCloseTo(expected[f], 12);
        }
        checked++;
      }
    }
    expect(checked).toBe(240);
  });

  it("tables match Algorithm 2 on deep trees with many repeated features", () => {
    let tabulatedTrees = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const nFeatures = 6 + (seed % 8);
      const tree = randomTree(seed, nFeatures, 13, 0.75);
      if (TreeShapTable.build(tree) === null) continue;
      tabulatedTrees++;
      for (let r = 0; r < 3; r++) {
        const x = randomRow(seed * 31 + r, nFeatures);
        const expected = algorithm2(tree, x, nFeatures);
        const actual = tabulated(tree, x, nFeatures);
        for (let f = 0; f < nFeatures; f++) expect(actual[f]).toBeCloseTo(expected[f], 10);
      }
    }
    expect(tabulatedTrees).toBeGreaterThan(20);
  });

  it("is additive: expected value + sum of SHAP values = tree output", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const tree = randomTree(seed, 8, 10);
      const x = randomRow(seed, 8);
      for (const phi of [algorithm2(tree, x, 8), tabulated(tree, x, 8)]) {
        const total = phi.reduce((s, v) => s + v, 0);
        expect(treeExpectedValue(tree) + total).toBeCloseTo(predictTree(tree, x, 0), 12);
      }
    }
  });

  it("declines to tabulate a leaf with more distinct path features than the cap", () => {
    // A chain splitting on a new feature at every level.
    const depth = MAX_TABLE_PATH_FEATURES + 1;
    const n = 2 * depth + 1;
    const feature = new Int32Array(n).fill(-1);
    const left = new Int32Array(n).fill(-1);
    const right = new Int32Array(n).fill(-1);
    const cover = new Float64Array(n);
    for (let level = 0; level < depth; level++) {
      const node = 2 * level;
      feature[node] = level;
      left[node] = node + 1;
      right[node] = node + 2;
    }
    for (let node = n - 1; node >= 0; node--)
      cover[node] = feature[node] < 0 ? 1 : cover[left[node]] + cover[right[node]];
    const tree = {
      nodeCount: n,
      feature,
      threshold: new Float64Array(n).fill(0.5),
      left,
      right,
      value: Float64Array.from({ length: n }, (_, i) => i / n),
      cover,
      defaultLeft: new Uint8Array(n),
      depth,
    };
    expect(TreeShapTable.build(tree)).toBeNull();
    // The ensemble explainer falls back to Algorithm 2 for it and stays additive.
    const x = Float64Array.from({ length: depth }, (_, i) => (i % 3 === 0 ? 0.9 : 0.1));
    const values = new EnsembleShapExplainer([tree]).shapValues({ data: x, rows: 1, cols: depth }, 1);
    const total = values.reduce((s, v) => s + v, 0);
    expect(treeExpectedValue(tree) + total).toBeCloseTo(predictTree(tree, x, 0), 12);
  });

  it("sums scaled tree values over an ensemble, row by row", () => {
    const trees = [1, 2, 3].map((seed) => randomTree(seed, 4, 5));
    const rows = 3;
    const data = new Float64Array(rows * 4);
    for (let r = 0; r < rows; r++) data.set(randomRow(50 + r, 4), r * 4);
    const values = new EnsembleShapExplainer(trees).shapValues({ data, rows, cols: 4 }, 0.5);
    const base = ensembleExpectedValue(trees, 0.5);
    for (let r = 0; r < rows; r++) {
      const x = data.subarray(r * 4, r * 4 + 4);
      let output = 0;
      let total = 0;
      for (let f = 0; f < 4; f++) {
        let expected = 0;
        for (const tree of trees) expected += 0.5 * bruteForceShap(tree, x, 4)[f];
        expect(values[r * 4 + f]).toBeCloseTo(expected, 12);
        total += values[r * 4 + f];
      }
      for (const tree of trees) output += 0.5 * predictTree(tree, x, 0);
      expect(base + total).toBeCloseTo(output, 12);
    }
  });

  it("attributes nothing to a single-leaf tree and rejects trees deeper than the workspace", () => {
    const leaf = randomTree(3, 3, 0);
    const phi = new Float64Array(3);
    new TreeShapWorkspace(0).addTreeShap(leaf, new Float64Array(3), 0, phi, 0, 1);
    expect(Array.from(phi)).toEqual([0, 0, 0]);
    expect(Array.from(tabulated(leaf, new Float64Array(3), 3))).toEqual([0, 0, 0]);
    const deep = randomTree(4, 3, 6, 1);
    expect(() => new TreeShapWorkspace(2).addTreeShap(deep, new Float64Array(3), 0, phi, 0, 1)).toThrow(
      /exceeds/,
    );
  });
});
