import { describe, expect, it } from "vitest";
import { matrixFromRows } from "../matrix";
import { sparseScaledRows, sparsityCentre } from "./sparse-rows";

describe("sparse scaled rows", () => {
  const X = matrixFromRows([
    [1.5, -0.4, 3],
    [1.5, 2.1, 3],
    [-0.6, -0.4, 3],
    [1.5, -0.4, 4],
  ]);
  const mean = Float64Array.of(0.975, 0.225, 3.25);

  it("centres two-valued columns on their majority value and others on the mean", () => {
    expect(Array.from(sparsityCentre(X, mean))).toEqual([1.5, -0.4, 3]);
    const continuous = matrixFromRows([[1], [2], [3]]);
    expect(Array.from(sparsityCentre(continuous, Float64Array.of(2)))).toEqual([2]);
  });

  it("store exactly the non-zero entries of (X - centre) / scale, columns ascending", () => {
    const scale = Float64Array.of(2, 0.5, 1);
    const rows = sparseScaledRows(X, Float64Array.of(1.5, -0.4, 3), scale);
    expect(Array.from(rows.rowStart)).toEqual([0, 0, 1, 2, 3]);
    expect(Array.from(rows.colIndex)).toEqual([1, 0, 2]);
    expect(rows.values[0]).toBeCloseTo(5, 12);
    expect(rows.values[1]).toBeCloseTo(-1.05, 12);
    expect(rows.values[2]).toBe(1);
  });
});
