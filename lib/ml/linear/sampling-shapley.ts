/**
 * Model-agnostic Shapley values by permutation sampling (Strumbelj & Kononenko 2014) with antithetic
 * permutations (each paired with its reverse; Mitchell et al. 2022), against a weighted background
 * set (the interventional value function of KernelSHAP / shap's PermutationExplainer). In-house: no
 * JS Shapley library exists. Every walk from a background row b to x telescopes to f(x) - f(b), so
 * baseValue + sum(phi) = f(x) holds exactly up to rounding, however few permutations are drawn.
 */
import { checkInterrupt } from "../interrupt";
import { createRng, shuffleInPlace } from "../random";
import type { Explanation, Matrix } from "../types";
import type { Background } from "./background";

/** Any batch scorer: one output per row. */
export type BatchFunction = (X: Matrix) => Float64Array;

export interface SamplingShapleyOptions {
  /** Permutations per background row, rounded up to an even number (antithetic pairs). */
  nPermutations: number;
  /** Every explained row uses the same permutations, so a row's values do not depend on the batch. */
  seed: number;
  /** The space `f` returns, reported in the Explanation. */
  space: Explanation["space"];
  /** Rows per call of `f`: one call per explained row unless its walks need more. */
  maxBatchRows: number;
}

export const SAMPLING_SHAPLEY_DEFAULTS: Readonly<SamplingShapleyOptions> = Object.freeze({
  nPermutations: 2,
  seed: 0,
  space: "margin",
  maxBatchRows: 16_384,
});

export function samplingShapley(
  f: BatchFunction,
  X: Matrix,
  background: Background,
  options: Partial<SamplingShapleyOptions> = {},
): Explanation {
  const { nPermutations, seed, space, maxBatchRows } = { ...SAMPLING_SHAPLEY_DEFAULTS, ...options };
  const d = X.cols;
  const bg = background.rows;
  if (bg.cols !== d) throw new Error(`Background has ${bg.cols} features, rows to explain have ${d}`);
  const m = bg.rows;
  const walksPerBackground = 2 * Math.max(1, Math.ceil(nPermutations / 2));
  const backgroundValues = f(bg);
  let baseValue = 0;
  for (let k = 0; k < m; k++) baseValue += background.weights[k] * backgroundValues[k];

  const values = new Float64Array(X.rows * d);
  const maxSteps = m * walksPerBackground * d;
  // Value slots: [0, m) background rows, m the explained row, then one per intermediate state.
  const slotValues = new Float64Array(m + 1 + maxSteps);
  slotValues.set(backgroundValues);
  const stepFeature = new Int32Array(maxSteps);
  const stepBefore = new Int32Array(maxSteps);
  const stepAfter = new Int32Array(maxSteps);
  const stepWeight = new Float64Array(maxSteps);
  const batchRows = Math.min(maxBatchRows, 1 + m * walksPerBackground * Math.max(0, d - 1));
  const batch = new Float64Array(Math.max(1, batchRows) * d);
  const batchSlot = new Int32Array(Math.max(1, batchRows));
  const permutation = new Int32Array(d);
  const state = new Float64Array(d);

  for (let r = 0; r < X.rows; r++) {
    checkInterrupt();
    const x = X.data.subarray(r * d, (r + 1) * d);
    const rng = createRng(seed);
    let pending = 0;
    const flush = () => {
      if (pending === 0) return;
      const out = f({ data: batch.subarray(0, pending * d), rows: pending, cols: d });
      for (let t = 0; t < pending; t++) slotValues[batchSlot[t]] = out[t];
      pending = 0;
    };
    const enqueue = (slot: number, row: Float64Array) => {
      if (pending === batchRows) flush();
      batch.set(row, pending * d);
      batchSlot[pending++] = slot;
    };
    enqueue(m, x);
    let steps = 0;
    let nextSlot = m + 1;
    for (let k = 0; k < m; k++) {
      const b = bg.data.subarray(k * d, (k + 1) * d);
      const weight = background.weights[k] / walksPerBackground;
      for (let walk = 0; walk < walksPerBackground; walk++) {
        if (walk % 2 === 0) {
          for (let j = 0; j < d; j++) permutation[j] = j;
          shuffleInPlace(permutation, rng);
        } else permutation.reverse();
        // Features where x and b agree contribute exactly 0 on this walk: skipping them saves most
        // evaluations on one-hot data (two customers share most categories).
        let remaining = 0;
        for (let j = 0; j < d; j++) if (x[j] !== b[j]) remaining++;
        state.set(b);
        let before = k;
        for (let t = 0; t < d; t++) {
          const j = permutation[t];
          if (x[j] === b[j]) continue;
          state[j] = x[j];
          remaining--;
          let after = m;
          if (remaining > 0) {
            after = nextSlot++;
            enqueue(after, state);
          }
          stepFeature[steps] = j;
          stepBefore[steps] = before;
          stepAfter[steps] = after;
          stepWeight[steps] = weight;
          steps++;
          before = after;
        }
      }
    }
    flush();
    const out = values.subarray(r * d, (r + 1) * d);
    for (let s = 0; s < steps; s++) {
      out[stepFeature[s]] += stepWeight[s] * (slotValues[stepAfter[s]] - slotValues[stepBefore[s]]);
    }
  }
  return { space, baseValue, values, rows: X.rows, cols: d };
}
