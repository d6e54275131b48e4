import { describe, expect, it } from "vitest";
import { matrixFromRows } from "../matrix";
import { createRng } from "../random";
import type { Matrix } from "../types";
import { type BinnedMatrix, binMatrix, MAX_VALUE_BINS, MISSING_BIN } from "./binning";

function column(values: number[]): Matrix {
  return matrixFromRows(values.map((v) => [v]));
}

/** For every split bin b, "x <= threshold" must agree with "bin <= b" on every finite training value. */
function expectThresholdsConsistent(X: Matrix, binned: BinnedMatrix): void {
  let mismatches = 0;
  let checks = 0;
  for (let c = 0; c < X.cols; c++) {
    const offset = binned.binOffsets[c];
    for (let b = 1; b < binned.binCounts[c] - 1; b++) {
      const threshold = binned.thresholds[offset + b];
      for (let r = 0; r < X.rows; r++) {
        const x = X.data[r * X.cols + c];
        const bin = binned.bins[c * X.rows + r];
        if (bin === MISSING_BIN) continue;
        if (x <= threshold !== bin <= b) mismatches++;
        checks++;
      }
    }
  }
  expect(checks).toBeGreaterThan(0);
  expect(mismatches).toBe(0);
}

describe("binMatrix", () => {
  it("gives each distinct value its own bin when there are at most 255, ordered by value", () => {
    const X = column([3, 1, 2, 3, 1, 10]);
    const binned = binMatrix(X);
    expect(binned.binCounts[0]).toBe(1 + 4);
    expect(Array.from(binned.bins)).toEqual([3, 1, 2, 3, 1, 4]);
    // Thresholds are midpoints between neighbouring values.
    expect(Array.from(binned.thresholds.subarray(1, 4))).toEqual([1.5, 2.5, 6.5]);
    expectThresholdsConsistent(X, binned);
  });

  it("stores bins column-major with per-column offsets", () => {
    const X = matrixFromRows([
      [0, 5],
      [1, 6],
      [0, 7],
    ]);
    const binned = binMatrix(X);
    expect(Array.from(binned.bins)).toEqual([1, 2, 1, 1, 2, 3]);
    expect(Array.from(binned.binCounts)).toEqual([3, 4]);
    expect(Array.from(binned.binOffsets)).toEqual([0, 3, 7]);
  });

  it("caps many distinct values at 255 roughly equal-frequency bins", () => {
    const rng = createRng(5);
    const values = Array.from({ length: 5000 }, () => rng.normal() * 1000);
    const X = column(values);
    const binned = binMatrix(X);
    expect(binned.binCounts[0]).toBe(1 + MAX_VALUE_BINS);
    const counts = new Array(binned.binCounts[0]).fill(0);
    for (const b of binned.bins) counts[b]++;
    expect(counts[MISSING_BIN]).toBe(0);
    expect(Math.max(...counts.slice(1))).toBeLessThanOrEqual(2 * Math.ceil(5000 / MAX_VALUE_BINS));
    expectThresholdsConsistent(X, binned);
  });

  it("gives a heavy value one bin without starving the rest of the range", () => {
    const rng = createRng(6);
    const values = Array.from({ length: 4000 }, (_, i) => (i < 2000 ? 0 : rng.next()));
    const binned = binMatrix(column(values), { maxBins: 16 });
    expect(binned.binCounts[0]).toBeGreaterThanOrEqual(15);
    expect(binned.bins[0]).toBe(1);
    expectThresholdsConsistent(column(values), binned);
  });

  it("puts NaN and infinities in the missing bin and counts them", () => {
    const X = column([1, Number.NaN, 2, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1]);
    const binned = binMatrix(X);
    expect(Array.from(binned.bins)).toEqual([1, 0, 2, 0, 0, 1]);
    expect(binned.missingCounts[0]).toBe(3);
    expect(binned.binCounts[0]).toBe(3);
  });

  it("handles constant and all-missing columns", () => {
    const X = matrixFromRows([
      [7, Number.NaN],
      [7, Number.NaN],
    ]);
    const binned = binMatrix(X);
    expect(Array.from(binned.binCounts)).toEqual([2, 1]);
    expect(Array.from(binned.bins)).toEqual([1, 1, 0, 0]);
  });

  it("keeps thresholds exact between neighbouring doubles", () => {
    // Adjacent doubles: the midpoint of the second pair rounds up onto the larger value.
    const values = [1, 1 + Number.EPSILON, 1 + 2 * Number.EPSILON];
    const X = column([...values, ...values]);
    const binned = binMatrix(X);
    expect(binned.binCounts[0]).toBe(4);
    expect(Array.from(binned.bins.subarray(0, 3))).toEqual([1, 2, 3]);
    expectThresholdsConsistent(X, binned);
  });

  it("rejects an invalid bin count", () => {
    expect(() => binMatrix(column([1, 2]), { maxBins: 1 })).toThrow(/maxBins/);
    expect(() => binMatrix(column([1, 2]), { maxBins: 256 })).toThrow(/maxBins/);
  });
});
