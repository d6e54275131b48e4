import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { bruteForceShap, randomTree } from "./test-trees";
import { predictTree, treeExpectedValue } from "./tree";
import { ensembleExpectedValue, ensembleShapValues, gaussLegendre01, TreeShapWorkspace } from "./tree-shap";
import { ReferenceTreeShap } from "./tree-shap-reference";

function randomRow(seed: number, nFeatures: number, missingRate = 0.15): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: nFeatures }, () => (rng.next() < missingRate ? Number.NaN : rng.next()));
}

describe("gaussLegendre01", () => {
  it("integrates s^k over [0, 1] exactly up to degree 2m - 1", () => {
    for (let m = 1; m <= 8; m++) {
      const { nodes, weights } = gaussLegendre01(m);
      for (let k = 0; k <= 2 * m - 1; k++) {
        let sum = 0;
        for (let q = 0; q < m; q++) sum += weights[q] * nodes[q] ** k;
        expect(sum).toBeCloseTo(1 / (k + 1), 14);
      }
    }
  });
});

describe("TreeSHAP", () => {
  it("matches brute-force Shapley values on small random trees with 3-5 features", () => {
    let checked = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const nFeatures = 3 + (seed % 3);
      const tree = randomTree(seed, nFeatures, 2 + (seed % 5));
      const workspace = new TreeShapWorkspace(tree.depth);
      for (let r = 0; r < 4; r++) {
        const x = randomRow(seed * 100 + r, nFeatures);
        const phi = new Float64Array(nFeatures);
        workspace.addTreeShap(tree, x, 0, phi, 0, 1);
        const expected = bruteForceShap(tree, x, nFeatures);
        for (let f = 0; f < nFeatures; f++) expect(phi[f]).toBeCloseTo(expected[f], 12);
        checked++;
      }
    }
    expect(checked).toBe(240);
  });

  it("matches Algorithm 2 (EXTEND/UNWIND) on deep trees with many repeated features", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const nFeatures = 6 + (seed % 10);
      const tree = randomTree(seed, nFeatures, 14, 0.9);
      const fast = new TreeShapWorkspace(tree.depth);
      const reference = new ReferenceTreeShap(tree.depth);
      for (let r = 0; r < 3; r++) {
        const x = randomRow(seed * 31 + r, nFeatures);
        const phi = new Float64Array(nFeatures);
        const expected = new Float64Array(nFeatures);
        fast.addTreeShap(tree, x, 0, phi, 0, 1);
        reference.addTreeShap(tree, x, 0, expected, 0, 1);
        for (let f = 0; f < nFeatures; f++) expect(phi[f]).toBeCloseTo(expected[f], 10);
      }
    }
  });

  it("is additive: expected value + sum of SHAP values = tree output", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const tree = randomTree(seed, 8, 10);
      const x = randomRow(seed, 8);
      const phi = new Float64Array(8);
      new TreeShapWorkspace(tree.depth).addTreeShap(tree, x, 0, phi, 0, 1);
      const total = phi.reduce((s, v) => s + v, 0);
      expect(treeExpectedValue(tree) + total).toBeCloseTo(predictTree(tree, x, 0), 12);
    }
  });

  it("sums scaled tree values over an ensemble, row by row", () => {
    const trees = [1, 2, 3].map((seed) => randomTree(seed, 4, 5));
    const rows = 3;
    const data = new Float64Array(rows * 4);
    for (let r = 0; r < rows; r++) data.set(randomRow(50 + r, 4), r * 4);
    const values = ensembleShapValues(trees, { data, rows, cols: 4 }, 0.5);
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
    const deep = randomTree(4, 3, 6, 1);
    expect(() => new TreeShapWorkspace(2).addTreeShap(deep, new Float64Array(3), 0, phi, 0, 1)).toThrow(/exceeds/);
  });
});
