import { describe, expect, it } from "vitest";
import { matrixFromRows } from "../matrix";
import { checkFitInputs, sigmoid, softplus, weightedColumnStats } from "./fit-inputs";

describe("fit inputs", () => {
  it("computes weighted means and standard deviations, with scale 1 for a constant column", () => {
    const X = matrixFromRows([
      [1, 5, 1e9 + 1],
      [3, 5, 1e9 + 3],
    ]);
    const { mean, scale } = weightedColumnStats(X, Float64Array.of(3, 1));
    expect(Array.from(mean)).toEqual([1.5, 5, 1e9 + 1.5]);
    expect(scale[0]).toBeCloseTo(Math.sqrt(0.75), 12);
    expect(scale[1]).toBe(1);
    expect(scale[2]).toBeCloseTo(Math.sqrt(0.75), 6); // two passes keep the digits of a large offset
  });

  it("rejects labels, weights and values a model cannot use", () => {
    const X = matrixFromRows([[1], [2]]);
    expect(() => checkFitInputs(X, Uint8Array.of(0, 2))).toThrow(/Label 2 at row 1/);
    expect(() => checkFitInputs(X, Uint8Array.of(0, 1), Float64Array.of(1, -1))).toThrow(/Sample weight -1/);
    expect(() => checkFitInputs(X, Uint8Array.of(0, 1), Float64Array.of(1, 0))).toThrow(/both classes/);
    expect(() => checkFitInputs(X, Uint8Array.of(0))).toThrow(/1 labels for 2 rows/);
    expect(Array.from(checkFitInputs(X, Uint8Array.of(0, 1)))).toEqual([1, 1]);
  });

  it("evaluates softplus and sigmoid without overflow", () => {
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(softplus(0)).toBeCloseTo(Math.log(2), 15);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
  });
});
