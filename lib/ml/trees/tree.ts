/**
 * The fitted decision tree shared by random forest and boosting: flat typed arrays indexed by
 * node id (root 0, children always after their parent), routing raw feature values.
 */
import { z } from "zod";
import type { Matrix } from "../types";
import { isMissingValue } from "./binning";

export interface Tree {
  readonly nodeCount: number;
  /** Split feature, or -1 for a leaf. */
  readonly feature: Int32Array;
  /** A row goes left when its (finite) value is <= threshold. */
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Leaf output (for internal nodes the output the node would have as a leaf). */
  readonly value: Float64Array;
  /** Hessian (boosting) or weight (forest) sum of the training rows that reached the node. */
  readonly cover: Float64Array;
  /** Where missing / non-finite values go: 1 = left. */
  readonly defaultLeft: Uint8Array;
  /** Edges on the longest root-to-leaf path (0 for a single leaf). */
  readonly depth: number;
}

/** JSON form of a tree: plain number arrays (JSON numbers round-trip Float64 exactly). */
export interface SerializedTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
  cover: number[];
  defaultLeft: number[];
}

export const serializedTreeSchema = z.object({
  feature: z.array(z.number().int()),
  threshold: z.array(z.number()),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  value: z.array(z.number()),
  cover: z.array(z.number()),
  defaultLeft: z.array(z.union([z.literal(0), z.literal(1)])),
});

/** Id of the leaf that the row starting at data[offset] reaches. */
export function leafIndex(tree: Tree, data: Float64Array, offset: number): number {
  const { feature, threshold, left, right, defaultLeft } = tree;
  let node = 0;
  let f = feature[0];
  while (f >= 0) {
    const x = data[offset + f];
    if (isMissingValue(x)) node = defaultLeft[node] === 1 ? left[node] : right[node];
    else node = x <= threshold[node] ? left[node] : right[node];
    f = feature[node];
  }
  return node;
}

export function predictTree(tree: Tree, data: Float64Array, offset: number): number {
  return tree.value[leafIndex(tree, data, offset)];
}

/**
 * out[r] += scale * tree output for every row r of X (rows with skip[r] === 1 are left alone).
 * The batch form hoists the tree's arrays out of the row loop: boosting calls it for every round.
 */
export function addTreeOutputs(tree: Tree, X: Matrix, out: Float64Array, scale = 1, skip?: Uint8Array): void {
  const { feature, threshold, left, right, defaultLeft, value } = tree;
  const { data, cols, rows } = X;
  const rootFeature = feature[0];
  for (let r = 0; r < rows; r++) {
    if (skip !== undefined && skip[r] === 1) continue;
    const offset = r * cols;
    let node = 0;
    let f = rootFeature;
    while (f >= 0) {
      const x = data[offset + f];
      if (isMissingValue(x)) node = defaultLeft[node] === 1 ? left[node] : right[node];
      else node = x <= threshold[node] ? left[node] : right[node];
      f = feature[node];
    }
    out[r] += scale * value[node];
  }
}

/** E[f(x)] under the training distribution: cover-weighted mean of the leaf values. */
export function treeExpectedValue(tree: Tree): number {
  const { feature, value, cover } = tree;
  let sum = 0;
  for (let i = 0; i < tree.nodeCount; i++) if (feature[i] < 0) sum += value[i] * cover[i];
  return cover[0] > 0 ? sum / cover[0] : value[0];
}

export function scaleTreeValues(tree: Tree, factor: number): void {
  const { value } = tree;
  for (let i = 0; i < tree.nodeCount; i++) value[i] *= factor;
}

function computeDepth(nodeCount: number, feature: Int32Array, left: Int32Array, right: Int32Array): number {
  const depthOf = new Int32Array(nodeCount);
  let depth = 0;
  for (let i = 0; i < nodeCount; i++) {
    if (feature[i] < 0) continue;
    const d = depthOf[i] + 1;
    depthOf[left[i]] = d;
    depthOf[right[i]] = d;
    if (d > depth) depth = d;
  }
  return depth;
}

export function createTree(parts: Omit<Tree, "depth" | "nodeCount">): Tree {
  const nodeCount = parts.feature.length;
  return { ...parts, nodeCount, depth: computeDepth(nodeCount, parts.feature, parts.left, parts.right) };
}

export function serializeTree(tree: Tree): SerializedTree {
  return {
    feature: Array.from(tree.feature),
    threshold: Array.from(tree.threshold),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
    value: Array.from(tree.value),
    cover: Array.from(tree.cover),
    defaultLeft: Array.from(tree.defaultLeft),
  };
}

/**
 * Rebuilds a tree from JSON, checking the structure so a corrupted artifact fails loudly instead
 * of looping or reading out of bounds: children come after their parent, features are in range.
 */
export function deserializeTree(json: SerializedTree, nFeatures: number): Tree {
  const n = json.feature.length;
  const fields = ["threshold", "left", "right", "value", "cover", "defaultLeft"] as const;
  if (n === 0) throw new Error("Serialized tree has no nodes");
  for (const key of fields) {
    if (json[key].length !== n)
      throw new Error(`Serialized tree field ${key} has ${json[key].length} entries, expected ${n}`);
  }
  const tree = createTree({
    feature: Int32Array.from(json.feature),
    threshold: Float64Array.from(json.threshold),
    left: Int32Array.from(json.left),
    right: Int32Array.from(json.right),
    value: Float64Array.from(json.value),
    cover: Float64Array.from(json.cover),
    defaultLeft: Uint8Array.from(json.defaultLeft),
  });
  for (let i = 0; i < n; i++) {
    const f = tree.feature[i];
    if (f < 0) continue;
    if (f >= nFeatures) throw new Error(`Serialized tree node ${i} splits on feature ${f} of ${nFeatures}`);
    const l = tree.left[i];
    const r = tree.right[i];
    if (!(l > i && l < n && r > i && r < n))
      throw new Error(`Serialized tree node ${i} has invalid children`);
    // TreeSHAP divides by covers: a split node must have seen training weight on both sides.
    if (!(tree.cover[l] > 0 && tree.cover[r] > 0))
      throw new Error(`Serialized tree node ${i} has a zero cover`);
  }
  return tree;
}
