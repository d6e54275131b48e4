import { describe, expect, it } from "vitest";
import { rankAuc, separation } from "./column-auc";

describe("rankAuc", () => {
  it("is 1 for a perfect ranking and 0 for a reversed one", () => {
    expect(rankAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rankAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });
  it("counts ties as one half (hand-computed)", () => {
    // Pairs (pos, neg): (0.5 vs 0.5) tie = 0.5, (0.5 vs 0.1) = 1, (0.9 vs both) = 2 -> 3.5 / 4.
    expect(rankAuc([0.1, 0.5, 0.5, 0.9], [0, 0, 1, 1])).toBe(0.875);
    expect(rankAuc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
  });
  it("skips NaN scores and handles -Infinity as the lowest value", () => {
    expect(rankAuc([Number.NaN, 0.2, 0.8], [1, 0, 1])).toBe(1);
    expect(rankAuc([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, 3], [0, 0, 1])).toBe(1);
  });
  it("is 0.5 with a single class, and separation is symmetric", () => {
    expect(rankAuc([1, 2], [1, 1])).toBe(0.5);
    expect(separation([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(1);
  });
});
