import { describe, expect, it } from "vitest";
import { balancedClassWeights, balancedSampleWeights } from "./class-weights";

describe("balanced class weights", () => {
  it("weights each class by n / (2 * n_class)", () => {
    const y = Uint8Array.from([1, 0, 0, 0]);
    expect(balancedClassWeights(y)).toEqual({ negative: 4 / 6, positive: 2 });
    expect(Array.from(balancedSampleWeights(y))).toEqual([2, 4 / 6, 4 / 6, 4 / 6]);
  });

  it("gives both classes the same total weight, and the rows the same mean weight of 1", () => {
    const y = Uint8Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? 1 : 0));
    const w = balancedSampleWeights(y);
    let pos = 0;
    let neg = 0;
    w.forEach((v, i) => {
      if (y[i]) pos += v;
      else neg += v;
    });
    expect(pos).toBeCloseTo(neg, 9);
    expect(pos + neg).toBeCloseTo(1000, 9);
  });

  it("refuses a single class", () => {
    expect(() => balancedSampleWeights(Uint8Array.from([1, 1]))).toThrow(/both classes/);
  });
});
