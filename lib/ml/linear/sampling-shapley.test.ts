import { describe, expect, it } from "vitest";
import { matrixFromRows } from "../matrix";
import { createRng } from "../random";
import type { Matrix } from "../types";
import type { Background } from "./background";
import { samplingShapley } from "./sampling-shapley";
import { bruteForceShapley } from "./test-factories";

/** Row-wise wrapper: a nonlinear function with interactions. */
const nonlinear = (z: ArrayLike<number>) =>
  z[0] * z[1] + Math.sin(z[2]) + z[3] ** 2 - 0.5 * z[0] * z[2] * z[3];
const batch =
  (g: (z: Float64Array) => number, calls?: number[]) =>
  (X: Matrix): Float64Array => {
    calls?.push(X.rows);
    return Float64Array.from({ length: X.rows }, (_, r) => g(X.data.subarray(r * X.cols, (r + 1) * X.cols)));
  };

function randomBackground(rows: number, cols: number, seed: number): Background {
  const rng = createRng(seed);
  const data = Float64Array.from({ length: rows * cols }, () => rng.normal());
  const raw = Float64Array.from({ length: rows }, () => 0.5 + rng.next());
  const total = raw.reduce((s, v) => s + v, 0);
  return { rows: { data, rows, cols }, weights: raw.map((v) => v / total) };
}

describe("samplingShapley", () => {
  it("is exactly additive: baseValue + sum of values = f(x), even with one antithetic pair", () => {
    const background = randomBackground(7, 4, 1);
    const X = matrixFromRows([
      [0.5, -1, 2, 0.3],
      [1.5, 1.5, -0.7, -2],
    ]);
    const f = batch(nonlinear);
    const explanation = samplingShapley(f, X, background, { nPermutations: 2, seed: 3 });
    const fx = f(X);
    for (let r = 0; r < 2; r++) {
      let sum = explanation.baseValue;
      for (let j = 0; j < 4; j++) sum += explanation.values[r * 4 + j];
      expect(sum).toBeCloseTo(fx[r], 12);
    }
    let base = 0;
    const fb = f(background.rows);
    for (let k = 0; k < 7; k++) base += background.weights[k] * fb[k];
    expect(explanation.baseValue).toBeCloseTo(base, 12);
  });

  it("is exact for two features, where one antithetic pair enumerates every permutation", () => {
    const background = randomBackground(5, 2, 2);
    const g = (z: ArrayLike<number>) => Math.exp(z[0]) * z[1] + z[1] ** 3;
    const x = [0.8, -1.3];
    const explanation = samplingShapley(batch(g), matrixFromRows([x]), background, { nPermutations: 2 });
    const exact = bruteForceShapley(g, x, background.rows, background.weights);
    expect(explanation.values[0]).toBeCloseTo(exact[0], 12);
    expect(explanation.values[1]).toBeCloseTo(exact[1], 12);
  });

  it("is exact for any permutations when f has no interactions", () => {
    const background = randomBackground(6, 4, 4);
    const additive = (z: ArrayLike<number>) => z[0] ** 2 + Math.sin(z[1]) + 3 * z[2] - Math.abs(z[3]);
    const x = [1, 2, -1, -0.5];
    const explanation = samplingShapley(batch(additive), matrixFromRows([x]), background, {
      nPermutations: 2,
    });
    const exact = bruteForceShapley(additive, x, background.rows, background.weights);
    for (let j = 0; j < 4; j++) expect(explanation.values[j]).toBeCloseTo(exact[j], 12);
  });

  it("converges to the brute-force Shapley values as permutations grow", () => {
    const background = randomBackground(4, 4, 5);
    const x = [0.5, -1, 2, 0.3];
    const exact = bruteForceShapley(nonlinear, x, background.rows, background.weights);
    const error = (nPermutations: number) => {
      const { values } = samplingShapley(batch(nonlinear), matrixFromRows([x]), background, {
        nPermutations,
      });
      return Math.max(...exact.map((v, j) => Math.abs(v - values[j])));
    };
    expect(error(400)).toBeLessThan(0.05);
    expect(error(400)).toBeLessThan(error(2));
  });

  it("batches all evaluations of a row into one call and skips features equal to the background", () => {
    const background: Background = { rows: matrixFromRows([[0, 0, 5, 0]]), weights: Float64Array.of(1) };
    const calls: number[] = [];
    samplingShapley(batch(nonlinear, calls), matrixFromRows([[1, 2, 5, 3]]), background, {
      nPermutations: 4,
    });
    // One call for the background, one for the row: x itself + 2 intermediate states per walk x 4 walks.
    expect(calls).toEqual([1, 1 + 4 * 2]);
  });

  it("gives a row the same values alone, in a batch, or split into small calls", () => {
    const background = randomBackground(5, 4, 6);
    const X = matrixFromRows([
      [0.5, -1, 2, 0.3],
      [1, 1, 1, 1],
    ]);
    const both = samplingShapley(batch(nonlinear), X, background, { seed: 9 });
    const alone = samplingShapley(batch(nonlinear), matrixFromRows([[1, 1, 1, 1]]), background, { seed: 9 });
    const chunked = samplingShapley(batch(nonlinear), X, background, { seed: 9, maxBatchRows: 3 });
    expect(Array.from(both.values.subarray(4))).toEqual(Array.from(alone.values));
    expect(chunked.values).toEqual(both.values);
    const otherSeed = samplingShapley(batch(nonlinear), X, background, { seed: 10 });
    expect(otherSeed.values).not.toEqual(both.values);
  });
});
