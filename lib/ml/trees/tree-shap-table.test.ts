/**
 * The precomputed TreeSHAP tables on their own: hand-computed Shapley values of small trees, how
 * addShap accumulates (scale, offset, reused scratch), and when a table is declined. Agreement
 * with brute force and Algorithm 2 on random trees is in tree-shap.test.ts.
 */
import { describe, expect, it } from "vitest";
import { bruteForceShap } from "./test-trees";
import { createTree, type Tree } from "./tree";
import { MAX_TABLE_ENTRIES, MAX_TABLE_PATH_FEATURES, TreeShapTable } from "./tree-shap-table";

interface NodeSpec {
  feature?: number;
  threshold?: number;
  left?: number;
  right?: number;
  value?: number;
  cover: number;
  defaultLeft?: boolean;
}

function treeOf(nodes: NodeSpec[]): Tree {
  return createTree({
    feature: Int32Array.from(nodes.map((n) => n.feature ?? -1)),
    threshold: Float64Array.from(nodes.map((n) => n.threshold ?? 0)),
    left: Int32Array.from(nodes.map((n) => n.left ?? -1)),
    right: Int32Array.from(nodes.map((n) => n.right ?? -1)),
    value: Float64Array.from(nodes.map((n) => n.value ?? 0)),
    cover: Float64Array.from(nodes.map((n) => n.cover)),
    defaultLeft: Uint8Array.from(nodes.map((n) => (n.defaultLeft ? 1 : 0))),
  });
}

/** Element-wise toBeCloseTo (12 digits): the tables sum products, so the last bit may differ. */
function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  for (const [i, value] of actual.entries()) expect(value, `feature ${i}`).toBeCloseTo(expected[i], 12);
}

function shapOf(tree: Tree, row: number[], nFeatures = row.length): number[] {
  const table = TreeShapTable.build(tree);
  if (!table) throw new Error("expected a table");
  const phi = new Float64Array(nFeatures);
  table.addShap(Float64Array.from(row), 0, phi, 0, 1, new Int32Array(tree.nodeCount));
  return Array.from(phi);
}

/**
 *          0: x0 <= 0.5 (cover 4)
 *         /                    \
 *   1: x1 <= 0.5 (cover 2)    2: leaf −2 (cover 2)
 *     /           \
 *  3: leaf 1    4: leaf 3      (cover 1 each)
 */
const twoFeatures = treeOf([
  { feature: 0, threshold: 0.5, left: 1, right: 2, cover: 4 },
  { feature: 1, threshold: 0.5, left: 3, right: 4, cover: 2, defaultLeft: true },
  { value: -2, cover: 2 },
  { value: 1, cover: 1 },
  { value: 3, cover: 1 },
]);

describe("TreeShapTable", () => {
  it("gives a stump's whole difference from the expected value to its feature", () => {
    // E[f] = (1·3 − 1·1) / 4 = 0.5
    const stump = treeOf([
      { feature: 0, threshold: 0.5, left: 1, right: 2, cover: 4 },
      { value: 1, cover: 3 },
      { value: -1, cover: 1 },
    ]);
    expectClose(shapOf(stump, [0.2, 7]), [0.5, 0]);
    expectClose(shapOf(stump, [0.9, 7]), [-1.5, 0]);
  });

  it("splits a two-feature path as the path-dependent Shapley values computed by hand", () => {
    // Row (0.2, 0.8) reaches leaf 4 (3); E[f] = 0. Coalition values: v{} = 0, v{x0} = 2,
    // v{x1} = ½·3 + ½·(−2) = 0.5, v{x0,x1} = 3. φ0 = ½(2 − 0) + ½(3 − 0.5) = 2.25, φ1 = 0.75.
    const phi = shapOf(twoFeatures, [0.2, 0.8]);
    expect(phi[0]).toBeCloseTo(2.25, 12);
    expect(phi[1]).toBeCloseTo(0.75, 12);
    // A row that leaves at the root still gets a value for x1, from the branch it did not take.
    const right = shapOf(twoFeatures, [0.9, 0.8]);
    const expected = Array.from(bruteForceShap(twoFeatures, [0.9, 0.8], 2));
    expect(right[0]).toBeCloseTo(expected[0], 12);
    expect(right[1]).toBeCloseTo(expected[1], 12);
    expect(right[0] + right[1]).toBeCloseTo(-2, 12);
  });

  it("routes a missing value the node's default way", () => {
    // Node 1 sends a missing x1 left, to leaf 3 (1): the same as x1 = 0.
    expect(shapOf(twoFeatures, [0.2, Number.NaN])).toEqual(shapOf(twoFeatures, [0.2, 0]));
    const phi = shapOf(twoFeatures, [0.2, Number.NaN]);
    expect(phi[0] + phi[1]).toBeCloseTo(1, 12);
  });

  it("treats a feature split twice on one path as one player", () => {
    //   0: x0 <= 0.5 → 1: x0 <= 0.2 → leaves 4 / 2 ; right: leaf 0. E[f] = (0·2 + 4 + 2) / 4 = 1.5
    const repeated = treeOf([
      { feature: 0, threshold: 0.5, left: 1, right: 2, cover: 4 },
      { feature: 0, threshold: 0.2, left: 3, right: 4, cover: 2 },
      { value: 0, cover: 2 },
      { value: 4, cover: 1 },
      { value: 2, cover: 1 },
    ]);
    expectClose(shapOf(repeated, [0.1, 5]), [2.5, 0]);
    expectClose(shapOf(repeated, [0.3, 5]), [0.5, 0]);
    expectClose(shapOf(repeated, [0.9, 5]), [-1.5, 0]);
  });

  it("adds scale × SHAP into the output at the offset, leaving the rest alone", () => {
    const table = TreeShapTable.build(twoFeatures) as TreeShapTable;
    const data = Float64Array.from([9, 9, 0.2, 0.8]);
    const phi = Float64Array.from([100, 100, 100, 100]);
    const masks = new Int32Array(twoFeatures.nodeCount);
    table.addShap(data, 2, phi, 1, 2, masks);
    expect(phi[0]).toBe(100);
    expect(phi[1]).toBeCloseTo(104.5, 12);
    expect(phi[2]).toBeCloseTo(101.5, 12);
    expect(phi[3]).toBe(100);
    // A second call accumulates, and scratch left dirty by another row changes nothing.
    masks.fill(-1);
    table.addShap(data, 2, phi, 1, -2, masks);
    expectClose(Array.from(phi), [100, 100, 100, 100]);
  });

  it("tabulates a path of exactly the cap's distinct features, and declines one more", () => {
    // Split k (node 2k) on feature k: right to a leaf (node 2k+1), left on to split k+1; the last
    // split's left is the final leaf (node 2·length). Every leaf covers one training row.
    const chain = (length: number): NodeSpec[] => {
      const nodes: NodeSpec[] = [];
      for (let k = 0; k < length; k++) {
        nodes[2 * k] = {
          feature: k,
          threshold: 0.5,
          left: 2 * k + 2,
          right: 2 * k + 1,
          cover: length - k + 1,
        };
        nodes[2 * k + 1] = { value: k, cover: 1 };
      }
      nodes[2 * length] = { value: -1, cover: 1 };
      return nodes;
    };
    const atCap = treeOf(chain(MAX_TABLE_PATH_FEATURES));
    expect(atCap.depth).toBe(MAX_TABLE_PATH_FEATURES);
    const row = Array.from({ length: MAX_TABLE_PATH_FEATURES }, () => 0.1);
    const phi = shapOf(atCap, row);
    expect(phi.reduce((s, v) => s + v, 0)).toBeCloseTo(-1 - expectedValue(atCap), 10);
    expect(TreeShapTable.build(treeOf(chain(MAX_TABLE_PATH_FEATURES + 1)))).toBeNull();
  });

  it("declines a tree whose tables would outgrow MAX_TABLE_ENTRIES (deep forests on large data)", () => {
    // A complete tree splitting on feature k at depth k: 2^depth leaves of `depth` path features,
    // so 4^depth table entries: 65,536 at depth 8 (kept), 1,048,576 at depth 10 (declined).
    const complete = (depth: number): NodeSpec[] => {
      const nodes: NodeSpec[] = [];
      const internal = (1 << depth) - 1;
      for (let i = (1 << (depth + 1)) - 2; i >= 0; i--) {
        if (i >= internal) nodes[i] = { value: i % 7, cover: 1 };
        else {
          const level = 31 - Math.clz32(i + 1);
          const cover = (nodes[2 * i + 1].cover ?? 0) + (nodes[2 * i + 2].cover ?? 0);
          nodes[i] = { feature: level, threshold: 0.5, left: 2 * i + 1, right: 2 * i + 2, cover };
        }
      }
      return nodes;
    };
    expect(4 ** 8).toBeLessThanOrEqual(MAX_TABLE_ENTRIES);
    expect(TreeShapTable.build(treeOf(complete(8)))).not.toBeNull();
    expect(4 ** 10).toBeGreaterThan(MAX_TABLE_ENTRIES);
    expect(TreeShapTable.build(treeOf(complete(10)))).toBeNull();
  });

  it("declines a tree with a split that saw no training weight", () => {
    const zeroCover = treeOf([
      { feature: 0, threshold: 0.5, left: 1, right: 2, cover: 1 },
      { value: 1, cover: 1 },
      { value: 2, cover: 0 },
    ]);
    expect(TreeShapTable.build(zeroCover)).toBeNull();
  });
});

function expectedValue(tree: Tree): number {
  let sum = 0;
  for (let i = 0; i < tree.nodeCount; i++) if (tree.feature[i] < 0) sum += tree.value[i] * tree.cover[i];
  return sum / tree.cover[0];
}
