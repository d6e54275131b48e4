/**
 * Exact path-dependent TreeSHAP: the values of Lundberg et al. 2020 ("From local explanations to
 * global understanding with explainable AI for trees", Algorithm 2, node covers as background).
 * Instead of Algorithm 2's EXTEND/UNWIND recurrences, each leaf's Shapley weights use their
 * integral form, sum_k k!(d-1-k)!/d! e_k = integral_0^1 prod_{j != i} (z_j + (o_j - z_j) s) ds
 * (the identity behind Linear TreeSHAP, Yu et al. 2022), evaluated exactly by Gauss-Legendre
 * quadrature with ceil(d/2) points: the same O(leaves * depth^2) bound, but no chains of dependent
 * divisions, which keeps one-row explanations of a 100-tree forest under 1 ms. Checked against
 * brute-force Shapley values and against Algorithm 2 itself (tree-shap-reference.ts).
 */
import type { Matrix } from "../types";
import { isMissingValue } from "./binning";
import { type Tree, treeExpectedValue } from "./tree";

/** Gauss-Legendre nodes and weights on [0, 1] for m points (Newton on Legendre polynomials). */
export function gaussLegendre01(m: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(m);
  const weights = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (m + 0.5));
    let derivative = 1;
    for (let iteration = 0; iteration < 100; iteration++) {
      let previous = 1;
      let current = x;
      for (let k = 2; k <= m; k++) {
        const next = ((2 * k - 1) * x * current - (k - 1) * previous) / k;
        previous = current;
        current = next;
      }
      derivative = (m * (x * current - previous)) / (x * x - 1);
      const step = current / derivative;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    nodes[i] = (1 - x) / 2;
    weights[i] = 1 / ((1 - x * x) * derivative * derivative);
  }
  return { nodes, weights };
}

/**
 * Scratch space for explaining one row at a time with trees up to maxDepth deep; the recursion
 * and the per-leaf quadrature allocate nothing.
 */
export class TreeShapWorkspace {
  readonly maxDepth: number;
  /** Unique features on the current root-to-node path, with their zero (cover) and one fractions. */
  private readonly pathFeature: Int32Array;
  private readonly pathZero: Float64Array;
  private readonly pathOne: Float64Array;
  /** Quadrature tables for m = 1 .. ceil(maxDepth / 2) points, table m at offset m(m-1)/2. */
  private readonly quadratureNodes: Float64Array;
  private readonly quadratureWeights: Float64Array;
  private readonly factor: Float64Array;
  private readonly prefix: Float64Array;
  private readonly running: Float64Array;
  private tree: Tree | null = null;
  private data: Float64Array = new Float64Array(0);
  private rowOffset = 0;
  private phi: Float64Array = new Float64Array(0);
  private phiOffset = 0;
  private scale = 1;

  constructor(maxDepth: number) {
    this.maxDepth = maxDepth;
    const maxPoints = Math.max(1, Math.ceil(maxDepth / 2));
    this.pathFeature = new Int32Array(maxDepth + 1);
    this.pathZero = new Float64Array(maxDepth + 1);
    this.pathOne = new Float64Array(maxDepth + 1);
    this.quadratureNodes = new Float64Array((maxPoints * (maxPoints + 1)) / 2);
    this.quadratureWeights = new Float64Array(this.quadratureNodes.length);
    for (let m = 1; m <= maxPoints; m++) {
      const { nodes, weights } = gaussLegendre01(m);
      this.quadratureNodes.set(nodes, (m * (m - 1)) / 2);
      this.quadratureWeights.set(weights, (m * (m - 1)) / 2);
    }
    this.factor = new Float64Array((maxDepth + 1) * maxPoints);
    this.prefix = new Float64Array((maxDepth + 1) * maxPoints);
    this.running = new Float64Array(maxPoints);
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
    if (tree.depth > this.maxDepth) throw new Error(`Tree depth ${tree.depth} exceeds workspace depth ${this.maxDepth}`);
    if (tree.feature[0] < 0) return; // a single leaf attributes nothing
    this.tree = tree;
    this.data = data;
    this.rowOffset = rowOffset;
    this.phi = phi;
    this.phiOffset = phiOffset;
    this.scale = scale;
    this.recurse(0, 0);
    this.tree = null;
  }

  /** Walks every root-to-leaf path; uniqueCount = distinct features on the path so far. */
  private recurse(node: number, uniqueCount: number): void {
    const tree = this.tree as Tree;
    const split = tree.feature[node];
    if (split < 0) {
      this.addLeaf(tree.value[node] * this.scale, uniqueCount);
      return;
    }
    const { pathFeature, pathZero, pathOne } = this;
    const x = this.data[this.rowOffset + split];
    const goesLeft = isMissingValue(x) ? tree.defaultLeft[node] === 1 : x <= tree.threshold[node];
    const hot = goesLeft ? tree.left[node] : tree.right[node];
    const cold = goesLeft ? tree.right[node] : tree.left[node];
    const cover = tree.cover[node];
    const hotFraction = tree.cover[hot] / cover;
    const coldFraction = tree.cover[cold] / cover;
    let k = 0;
    while (k < uniqueCount && pathFeature[k] !== split) k++;
    if (k === uniqueCount) {
      pathFeature[k] = split;
      pathZero[k] = hotFraction;
      pathOne[k] = 1;
      this.recurse(hot, uniqueCount + 1);
      pathFeature[k] = split;
      pathZero[k] = coldFraction;
      pathOne[k] = 0;
      this.recurse(cold, uniqueCount + 1);
      return;
    }
    // A feature split again on the same path acts as one player: its fractions multiply.
    const zero = pathZero[k];
    const one = pathOne[k];
    pathZero[k] = zero * hotFraction;
    this.recurse(hot, uniqueCount);
    pathZero[k] = zero * coldFraction;
    pathOne[k] = 0;
    this.recurse(cold, uniqueCount);
    pathZero[k] = zero;
    pathOne[k] = one;
  }

  /**
   * phi_i += v (o_i - z_i) integral_0^1 prod_{j != i} f_j(s) ds with f_j(s) = z_j + (o_j - z_j) s;
   * the leave-one-out products come from prefix and suffix products, so no division is needed.
   */
  private addLeaf(leafValue: number, d: number): void {
    if (d === 0) return;
    const { pathFeature, pathZero, pathOne, factor, prefix, running, phi, phiOffset } = this;
    const m = (d + 1) >> 1;
    const table = (m * (m - 1)) / 2;
    for (let i = 0; i < d; i++) {
      const z = pathZero[i];
      const slope = pathOne[i] - z;
      for (let q = 0; q < m; q++) factor[i * m + q] = z + slope * this.quadratureNodes[table + q];
    }
    for (let q = 0; q < m; q++) running[q] = 1;
    for (let i = 0; i < d; i++) {
      for (let q = 0; q < m; q++) {
        prefix[i * m + q] = running[q];
        running[q] *= factor[i * m + q];
      }
    }
    for (let q = 0; q < m; q++) running[q] = this.quadratureWeights[table + q];
    for (let i = d - 1; i >= 0; i--) {
      let integral = 0;
      for (let q = 0; q < m; q++) {
        integral += prefix[i * m + q] * running[q];
        running[q] *= factor[i * m + q];
      }
      phi[phiOffset + pathFeature[i]] += leafValue * (pathOne[i] - pathZero[i]) * integral;
    }
  }
}

export function maxTreeDepth(trees: readonly Tree[]): number {
  let depth = 0;
  for (const tree of trees) if (tree.depth > depth) depth = tree.depth;
  return depth;
}

/**
 * SHAP values of an ensemble whose output is scale * sum of tree outputs (+ a constant):
 * values[r * cols + c]. The matching base value is scale * sum of tree expected values.
 */
export function ensembleShapValues(
  trees: readonly Tree[],
  X: Matrix,
  scale: number,
  workspace?: TreeShapWorkspace,
): Float64Array {
  const depth = maxTreeDepth(trees);
  const ws = workspace && workspace.maxDepth >= depth ? workspace : new TreeShapWorkspace(depth);
  const values = new Float64Array(X.rows * X.cols);
  for (let r = 0; r < X.rows; r++) {
    const offset = r * X.cols;
    for (let t = 0; t < trees.length; t++) ws.addTreeShap(trees[t], X.data, offset, values, offset, scale);
  }
  return values;
}

export function ensembleExpectedValue(trees: readonly Tree[], scale: number): number {
  let sum = 0;
  for (const tree of trees) sum += treeExpectedValue(tree);
  return sum * scale;
}
