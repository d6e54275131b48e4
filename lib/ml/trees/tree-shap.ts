/**
 * Exact path-dependent TreeSHAP, Algorithm 2 of Lundberg et al. 2020 ("From local explanations
 * to global understanding with explainable AI for trees"): EXTEND / UNWIND over the unique path,
 * node covers as the background distribution, O(leaves * depth^2) per tree and row; follows the
 * shap package's C++. In-house: no maintained JavaScript implementation exists (issue 3).
 * Ensembles use the precomputed tables of tree-shap-table.ts (same values, ~4x faster per row)
 * and fall back to this for trees too deep to tabulate.
 */
import { checkInterrupt } from "../interrupt";
import type { Matrix } from "../types";
import { isMissingValue } from "./binning";
import { type Tree, treeExpectedValue } from "./tree";
import { TreeShapTable } from "./tree-shap-table";

/**
 * Scratch space for one explanation at a time: the "unique path" of every recursion level
 * lives in one flat array, level after level, so the recursion allocates nothing.
 */
export class TreeShapWorkspace {
  readonly maxDepth: number;
  private readonly pathFeature: Int32Array;
  private readonly pathZero: Float64Array;
  private readonly pathOne: Float64Array;
  private readonly pathWeight: Float64Array;
  private tree: Tree | null = null;
  private data: Float64Array = new Float64Array(0);
  private rowOffset = 0;
  private phi: Float64Array = new Float64Array(0);
  private phiOffset = 0;
  private scale = 1;

  constructor(maxDepth: number) {
    this.maxDepth = maxDepth;
    const size = ((maxDepth + 2) * (maxDepth + 3)) / 2 + 1;
    this.pathFeature = new Int32Array(size);
    this.pathZero = new Float64Array(size);
    this.pathOne = new Float64Array(size);
    this.pathWeight = new Float64Array(size);
  }

  /** phi[phiOffset + c] += scale * SHAP value of feature c for the row at data[rowOffset]. */
  addTreeShap(
    tree: Tree,
    data: Float64Array,
    rowOffset: number,
    phi: Float64Array,
    phiOffset: number,
    scale: number,
  ): void {
    if (tree.depth > this.maxDepth)
      throw new Error(`Tree depth ${tree.depth} exceeds workspace depth ${this.maxDepth}`);
    if (tree.feature[0] < 0) return; // a single leaf attributes nothing
    this.tree = tree;
    this.data = data;
    this.rowOffset = rowOffset;
    this.phi = phi;
    this.phiOffset = phiOffset;
    this.scale = scale;
    this.recurse(0, 0, 0, 1, 1, -1);
    this.tree = null;
  }

  private recurse(
    node: number,
    uniqueDepth: number,
    parentStart: number,
    parentZero: number,
    parentOne: number,
    parentFeature: number,
  ): void {
    const tree = this.tree as Tree;
    const { pathFeature, pathZero, pathOne, pathWeight } = this;
    const start = parentStart + uniqueDepth + 1;
    for (let i = 0; i < uniqueDepth; i++) {
      pathFeature[start + i] = pathFeature[parentStart + i];
      pathZero[start + i] = pathZero[parentStart + i];
      pathOne[start + i] = pathOne[parentStart + i];
      pathWeight[start + i] = pathWeight[parentStart + i];
    }
    this.extendPath(start, uniqueDepth, parentZero, parentOne, parentFeature);

    const split = tree.feature[node];
    if (split < 0) {
      const leafValue = tree.value[node] * this.scale;
      for (let i = 1; i <= uniqueDepth; i++) {
        const w = this.unwoundPathSum(start, uniqueDepth, i);
        this.phi[this.phiOffset + pathFeature[start + i]] +=
          w * (pathOne[start + i] - pathZero[start + i]) * leafValue;
      }
      return;
    }

    const x = this.data[this.rowOffset + split];
    const goesLeft = isMissingValue(x) ? tree.defaultLeft[node] === 1 : x <= tree.threshold[node];
    const hot = goesLeft ? tree.left[node] : tree.right[node];
    const cold = goesLeft ? tree.right[node] : tree.left[node];
    const cover = tree.cover[node];
    const hotZero = cover > 0 ? tree.cover[hot] / cover : 0;
    const coldZero = cover > 0 ? tree.cover[cold] / cover : 0;
    let incomingZero = 1;
    let incomingOne = 1;
    let pathIndex = 0;
    while (pathIndex <= uniqueDepth && pathFeature[start + pathIndex] !== split) pathIndex++;
    // A feature already on the path is unwound and re-added, so each feature appears once.
    if (pathIndex <= uniqueDepth) {
      incomingZero = pathZero[start + pathIndex];
      incomingOne = pathOne[start + pathIndex];
      this.unwindPath(start, uniqueDepth, pathIndex);
      uniqueDepth--;
    }
    this.recurse(hot, uniqueDepth + 1, start, hotZero * incomingZero, incomingOne, split);
    this.recurse(cold, uniqueDepth + 1, start, coldZero * incomingZero, 0, split);
  }

  private extendPath(start: number, uniqueDepth: number, zero: number, one: number, feature: number): void {
    const { pathWeight } = this;
    const top = start + uniqueDepth;
    this.pathFeature[top] = feature;
    this.pathZero[top] = zero;
    this.pathOne[top] = one;
    pathWeight[top] = uniqueDepth === 0 ? 1 : 0;
    for (let i = uniqueDepth - 1; i >= 0; i--) {
      pathWeight[start + i + 1] += (one * pathWeight[start + i] * (i + 1)) / (uniqueDepth + 1);
      pathWeight[start + i] = (zero * pathWeight[start + i] * (uniqueDepth - i)) / (uniqueDepth + 1);
    }
  }

  private unwindPath(start: number, uniqueDepth: number, pathIndex: number): void {
    const { pathFeature, pathZero, pathOne, pathWeight } = this;
    const one = pathOne[start + pathIndex];
    const zero = pathZero[start + pathIndex];
    let nextOnePortion = pathWeight[start + uniqueDepth];
    for (let i = uniqueDepth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = pathWeight[start + i];
        pathWeight[start + i] = (nextOnePortion * (uniqueDepth + 1)) / ((i + 1) * one);
        nextOnePortion = tmp - (pathWeight[start + i] * zero * (uniqueDepth - i)) / (uniqueDepth + 1);
      } else {
        pathWeight[start + i] = (pathWeight[start + i] * (uniqueDepth + 1)) / (zero * (uniqueDepth - i));
      }
    }
    for (let i = pathIndex; i < uniqueDepth; i++) {
      pathFeature[start + i] = pathFeature[start + i + 1];
      pathZero[start + i] = pathZero[start + i + 1];
      pathOne[start + i] = pathOne[start + i + 1];
    }
  }

  private unwoundPathSum(start: number, uniqueDepth: number, pathIndex: number): number {
    const { pathWeight } = this;
    const one = this.pathOne[start + pathIndex];
    const zero = this.pathZero[start + pathIndex];
    let nextOnePortion = pathWeight[start + uniqueDepth];
    let total = 0;
    if (one !== 0) {
      for (let i = uniqueDepth - 1; i >= 0; i--) {
        const tmp = nextOnePortion / ((i + 1) * one);
        total += tmp;
        nextOnePortion = pathWeight[start + i] - tmp * zero * (uniqueDepth - i);
      }
    } else if (zero !== 0) {
      for (let i = uniqueDepth - 1; i >= 0; i--) total += pathWeight[start + i] / (zero * (uniqueDepth - i));
    }
    return total * (uniqueDepth + 1);
  }
}

export function maxTreeDepth(trees: readonly Tree[]): number {
  let depth = 0;
  for (const tree of trees) if (tree.depth > depth) depth = tree.depth;
  return depth;
}

export function ensembleExpectedValue(trees: readonly Tree[], scale: number): number {
  let sum = 0;
  for (const tree of trees) sum += treeExpectedValue(tree);
  return sum * scale;
}

/**
 * SHAP values of an ensemble whose output is scale * sum of tree outputs (+ a constant); the
 * matching base value is ensembleExpectedValue(trees, scale). Build once per fitted model: the
 * tables cost O(sum over leaves of d * 2^d) time and O(2^d) memory per leaf (d = distinct
 * features on the leaf's path), then each row costs O(nodes + sum of d).
 */
export class EnsembleShapExplainer {
  private readonly trees: readonly Tree[];
  private readonly tables: (TreeShapTable | null)[];
  private readonly workspace: TreeShapWorkspace;
  private readonly masks: Int32Array;

  constructor(trees: readonly Tree[]) {
    this.trees = trees;
    this.tables = trees.map((tree) => TreeShapTable.build(tree));
    let maxDeepDepth = 0;
    let maxNodes = 1;
    for (let t = 0; t < trees.length; t++) {
      if (this.tables[t] === null && trees[t].depth > maxDeepDepth) maxDeepDepth = trees[t].depth;
      if (trees[t].nodeCount > maxNodes) maxNodes = trees[t].nodeCount;
    }
    this.workspace = new TreeShapWorkspace(maxDeepDepth);
    this.masks = new Int32Array(maxNodes);
  }

  /** values[r * cols + c] = scale * sum over trees of the SHAP value of feature c for row r. */
  shapValues(X: Matrix, scale: number): Float64Array {
    const values = new Float64Array(X.rows * X.cols);
    const { trees, tables, workspace, masks } = this;
    for (let r = 0; r < X.rows; r++) {
      if ((r & 63) === 0) checkInterrupt();
      const offset = r * X.cols;
      for (let t = 0; t < trees.length; t++) {
        const table = tables[t];
        if (table !== null) table.addShap(X.data, offset, values, offset, scale, masks);
        else workspace.addTreeShap(trees[t], X.data, offset, values, offset, scale);
      }
    }
    return values;
  }
}
