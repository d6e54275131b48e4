import { describe, expect, it } from "vitest";
import type { Matrix } from "../types";
import { randomTree } from "./test-trees";
import {
  addTreeOutputs,
  createTree,
  deserializeTree,
  leafIndex,
  predictTree,
  type SerializedTree,
  scaleTreeValues,
  serializedTreeSchema,
  serializeTree,
  type Tree,
  treeExpectedValue,
} from "./tree";

/**
 *        0: x0 <= 5 (missing → right)
 *       /                       \
 *   1: leaf 10 (cover 3)     2: x1 <= 0.5 (missing → left)
 *                             /              \
 *                     3: leaf -4 (cover 1)   4: leaf 2 (cover 4)
 */
function smallTree(): Tree {
  return createTree({
    feature: Int32Array.from([0, -1, 1, -1, -1]),
    threshold: Float64Array.from([5, 0, 0.5, 0, 0]),
    left: Int32Array.from([1, -1, 3, -1, -1]),
    right: Int32Array.from([2, -1, 4, -1, -1]),
    value: Float64Array.from([3, 10, 0.4, -4, 2]),
    cover: Float64Array.from([8, 3, 5, 1, 4]),
    defaultLeft: Uint8Array.from([0, 0, 1, 0, 0]),
  });
}

const row = (...values: number[]) => Float64Array.from(values);

describe("routing a row", () => {
  const tree = smallTree();

  it("goes left when the value is at most the threshold, right above it", () => {
    expect(leafIndex(tree, row(5, 0), 0)).toBe(1);
    expect(leafIndex(tree, row(-1e9, 0), 0)).toBe(1);
    expect(leafIndex(tree, row(5.000001, 0.5), 0)).toBe(3);
    expect(leafIndex(tree, row(6, 0.51), 0)).toBe(4);
    expect(predictTree(tree, row(6, 0.51), 0)).toBe(2);
  });

  it("sends missing and infinite values the node's default way", () => {
    // Root: missing → right; node 2: missing → left.
    expect(leafIndex(tree, row(Number.NaN, 0.9), 0)).toBe(4);
    expect(leafIndex(tree, row(Number.POSITIVE_INFINITY, Number.NaN), 0)).toBe(3);
    expect(leafIndex(tree, row(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY), 0)).toBe(3);
  });

  it("reads the row at the given offset", () => {
    const data = row(1, 1, 9, 0.9, 9, 0);
    expect([0, 2, 4].map((offset) => predictTree(tree, data, offset))).toEqual([10, 2, -4]);
  });

  it("adds scaled outputs for every row in a batch, skipping the rows it is told to", () => {
    const X: Matrix = { data: row(1, 1, 9, 0.9, 9, 0, Number.NaN, Number.NaN), rows: 4, cols: 2 };
    const out = Float64Array.from([1, 1, 1, 1]);
    addTreeOutputs(tree, X, out, 0.5, Uint8Array.from([0, 0, 1, 0]));
    expect(Array.from(out)).toEqual([6, 2, 1, -1]);
    // The batch form agrees with the single-row form on random trees and rows.
    for (let seed = 1; seed <= 20; seed++) {
      const random = randomTree(seed, 3, 6);
      const data = Float64Array.from({ length: 30 }, (_, i) =>
        i % 7 === 0 ? Number.NaN : ((i * 37) % 100) / 100,
      );
      const batch = new Float64Array(10);
      addTreeOutputs(random, { data, rows: 10, cols: 3 }, batch);
      expect(Array.from(batch)).toEqual(
        Array.from({ length: 10 }, (_, r) => predictTree(random, data, r * 3)),
      );
    }
  });

  it("answers a single leaf's value for any row", () => {
    const leaf = createTree({
      feature: Int32Array.from([-1]),
      threshold: Float64Array.from([0]),
      left: Int32Array.from([-1]),
      right: Int32Array.from([-1]),
      value: Float64Array.from([0.25]),
      cover: Float64Array.from([7]),
      defaultLeft: Uint8Array.from([0]),
    });
    expect(leaf).toMatchObject({ nodeCount: 1, depth: 0 });
    expect(predictTree(leaf, row(Number.NaN), 0)).toBe(0.25);
    expect(treeExpectedValue(leaf)).toBe(0.25);
  });
});

describe("tree facts", () => {
  it("counts nodes and the longest root-to-leaf path", () => {
    expect(smallTree()).toMatchObject({ nodeCount: 5, depth: 2 });
    for (let seed = 1; seed <= 10; seed++) expect(randomTree(seed, 4, 5).depth).toBeLessThanOrEqual(5);
  });

  it("expects the cover-weighted mean of the leaves", () => {
    // (10·3 + (−4)·1 + 2·4) / 8
    expect(treeExpectedValue(smallTree())).toBeCloseTo(34 / 8, 12);
  });

  it("scales every node's value", () => {
    const tree = smallTree();
    scaleTreeValues(tree, -0.5);
    expect(Array.from(tree.value)).toEqual([-1.5, -5, -0.2, 2, -1]);
  });
});

describe("serialisation", () => {
  it("round-trips through JSON exactly, and the JSON passes its schema", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const tree = randomTree(seed, 5, 6);
      const json = JSON.parse(JSON.stringify(serializeTree(tree))) as SerializedTree;
      expect(serializedTreeSchema.parse(json)).toEqual(json);
      const restored = deserializeTree(json, 5);
      expect(restored).toEqual(tree);
    }
  });

  it("refuses a corrupted tree instead of looping or reading out of bounds", () => {
    const good = serializeTree(smallTree());
    const broken = (change: (json: SerializedTree) => void) => {
      const json = structuredClone(good);
      change(json);
      return () => deserializeTree(json, 2);
    };
    expect(broken((j) => (j.feature = []))).toThrow("no nodes");
    expect(broken((j) => j.value.pop())).toThrow("field value has 4 entries, expected 5");
    expect(broken((j) => (j.feature[2] = 2))).toThrow("node 2 splits on feature 2 of 2");
    // A child before its parent would let a crafted file send a row round in circles.
    expect(broken((j) => (j.left[2] = 0))).toThrow("node 2 has invalid children");
    expect(broken((j) => (j.right[0] = 5))).toThrow("node 0 has invalid children");
    expect(broken((j) => (j.cover[3] = 0))).toThrow("node 2 has a zero cover");
    expect(() => deserializeTree(good, 2)).not.toThrow();
  });

  it("rejects JSON of the wrong shape before it is read", () => {
    const json = serializeTree(smallTree());
    expect(serializedTreeSchema.safeParse({ ...json, defaultLeft: [0, 2, 0, 0, 0] }).success).toBe(false);
    expect(serializedTreeSchema.safeParse({ ...json, feature: [0.5, -1, 1, -1, -1] }).success).toBe(false);
  });
});
