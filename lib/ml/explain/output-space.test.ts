import { describe, expect, it } from "vitest";
import type { Explanation } from "../types";
import { logit, sigmoid, toMarginSpace, toProbabilitySpace } from "./output-space";

const margin: Explanation = {
  space: "margin",
  baseValue: -1,
  rows: 2,
  cols: 3,
  values: Float64Array.from([0.5, 1.5, -0.4, 0, 0, 0]),
};

function rowSum(e: Explanation, r: number): number {
  let s = 0;
  for (let c = 0; c < e.cols; c++) s += e.values[r * e.cols + c];
  return s;
}

describe("toProbabilitySpace", () => {
  const p = toProbabilitySpace(margin);
  it("maps the base to a probability and keeps additivity: base + sum = sigmoid(margin)", () => {
    expect(p.space).toBe("probability");
    expect(p.baseValue).toBeCloseTo(sigmoid(-1), 12);
    expect(p.baseValue + rowSum(p, 0)).toBeCloseTo(sigmoid(-1 + 1.6), 12);
    expect(p.baseValue + rowSum(p, 1)).toBeCloseTo(sigmoid(-1), 12);
  });
  it("keeps signs and proportions", () => {
    expect(p.values[1] / p.values[0]).toBeCloseTo(3, 12);
    expect(p.values[2]).toBeLessThan(0);
  });
});

describe("toMarginSpace", () => {
  it("inverts the probability conversion", () => {
    const back = toMarginSpace(toProbabilitySpace(margin));
    expect(back.baseValue).toBeCloseTo(-1, 9);
    for (let i = 0; i < 3; i++) expect(back.values[i]).toBeCloseTo(margin.values[i], 9);
    expect(logit(sigmoid(2))).toBeCloseTo(2, 12);
  });
});
