import { describe, expect, it } from "vitest";
import { matrixFromRows } from "../matrix";
import { mapRandomFourierFeatures, sampleRandomFourierFeatures } from "./random-fourier-features";
import { sparseScaledRows } from "./sparse-rows";

describe("random Fourier features", () => {
  it("approximate the RBF kernel exp(-gamma |u - v|^2) by the inner product of the maps", () => {
    const gamma = 0.3;
    const rff = sampleRandomFourierFeatures(3, 20_000, gamma, 1);
    const points = matrixFromRows([
      [0, 0, 0],
      [0.5, -0.2, 1],
      [2, 1, -1],
    ]);
    const zero = new Float64Array(3);
    const one = new Float64Array(3).fill(1);
    const z = mapRandomFourierFeatures(rff, sparseScaledRows(points, zero, one));
    const D = rff.nComponents;
    for (const [a, b] of [
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 2],
    ]) {
      let dot = 0;
      for (let k = 0; k < D; k++) dot += z[a * D + k] * z[b * D + k];
      let dist = 0;
      for (let j = 0; j < 3; j++) dist += (points.data[a * 3 + j] - points.data[b * 3 + j]) ** 2;
      expect(Math.abs(dot - Math.exp(-gamma * dist))).toBeLessThan(0.03);
    }
  });

  it("are the same for the same seed and differ for another", () => {
    expect(sampleRandomFourierFeatures(4, 10, 1, 5)).toEqual(sampleRandomFourierFeatures(4, 10, 1, 5));
    expect(sampleRandomFourierFeatures(4, 10, 1, 6).frequencies).not.toEqual(
      sampleRandomFourierFeatures(4, 10, 1, 5).frequencies,
    );
  });
});
