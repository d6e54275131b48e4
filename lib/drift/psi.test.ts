import { describe, expect, it } from "vitest";
import { binShares, PSI_EPSILON, populationStabilityIndex } from "./psi";
import { driftLevel, worstLevel } from "./verdict";

describe("populationStabilityIndex", () => {
  it("matches a hand-computed case: shares .2/.3/.5 → .3/.3/.4", () => {
    // (0.3−0.2)·ln(0.3/0.2) + 0 + (0.4−0.5)·ln(0.4/0.5) = 0.0405465 + 0.0223144
    expect(populationStabilityIndex([20, 30, 50], [30, 30, 40])).toBeCloseTo(0.0628609, 6);
    // Counts, not shares: scaling either side changes nothing.
    expect(populationStabilityIndex([2, 3, 5], [300, 300, 400])).toBeCloseTo(0.0628609, 6);
  });

  it("is 0 for identical shares and symmetric in its two sides", () => {
    expect(populationStabilityIndex([10, 20, 70], [1, 2, 7])).toBeCloseTo(0, 12);
    expect(populationStabilityIndex([30, 30, 40], [20, 30, 50])).toBeCloseTo(
      populationStabilityIndex([20, 30, 50], [30, 30, 40]) as number,
      12,
    );
  });

  it("floors an empty bin at epsilon = 0.0001 instead of dividing by zero", () => {
    expect(PSI_EPSILON).toBe(1e-4);
    // (0.4−0.5)·ln(0.8) + 0 + (0.1−0.0001)·ln(0.1/0.0001) = 0.0223144 + 0.6900847
    expect(populationStabilityIndex([50, 50, 0], [40, 50, 10])).toBeCloseTo(0.7123991, 6);
    // Empty on both sides: contributes nothing.
    expect(populationStabilityIndex([50, 50, 0], [50, 50, 0])).toBe(0);
    expect(binShares([0, 4])).toEqual([1e-4, 1]);
  });

  it("is null when a side has no rows, and refuses mismatched or negative bins", () => {
    expect(populationStabilityIndex([1, 2], [0, 0])).toBeNull();
    expect(populationStabilityIndex([0, 0], [1, 2])).toBeNull();
    expect(() => populationStabilityIndex([1, 2], [1, 2, 3])).toThrow(/same bins/);
    expect(() => populationStabilityIndex([1, -2], [1, 2])).toThrow(/≥ 0/);
  });
});

describe("driftLevel", () => {
  it("reads < 0.1 as stable, 0.1–0.2 as moderate, > 0.2 as significant", () => {
    expect(driftLevel(0)).toBe("stable");
    expect(driftLevel(0.0999)).toBe("stable");
    expect(driftLevel(0.1)).toBe("moderate");
    expect(driftLevel(0.2)).toBe("moderate");
    expect(driftLevel(0.2001)).toBe("significant");
    expect(driftLevel(null)).toBe("stable");
    expect(worstLevel(["stable", "significant", "moderate"])).toBe("significant");
    expect(worstLevel([])).toBe("stable");
  });
});
