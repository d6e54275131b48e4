import { describe, expect, it } from "vitest";
import { evaluateBinary } from "./index";

// Six customers with ties across the classes (0.8 and 0.4 each hold one churner, one not).
const y = Uint8Array.from([1, 0, 1, 0, 1, 0]);
const p = Float64Array.from([0.9, 0.8, 0.8, 0.4, 0.4, 0.1]);

describe("evaluateBinary", () => {
  it("bundles every metric at the threshold", () => {
    const e = evaluateBinary(y, p, 0.3);
    expect(e.rows).toBe(6);
    expect(e.positiveRate).toBe(0.5);
    expect(e.rocAuc).toBeCloseTo(7 / 9, 12);
    expect(e.f1).toBeCloseTo(0.75, 12);
    expect(e.confusion.truePositives).toBe(3);
  });
});
