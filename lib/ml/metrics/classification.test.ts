import { describe, expect, it } from "vitest";
import { classificationMetrics, confusionMatrix } from "./index";

// Six customers with ties across the classes (0.8 and 0.4 each hold one churner, one not).
const y = Uint8Array.from([1, 0, 1, 0, 1, 0]);
const p = Float64Array.from([0.9, 0.8, 0.8, 0.4, 0.4, 0.1]);

describe("classification metrics at a threshold", () => {
  it("builds the confusion matrix with P >= threshold meaning churn", () => {
    expect(confusionMatrix(y, p, 0.8)).toEqual({
      threshold: 0.8,
      truePositives: 2,
      falsePositives: 1,
      trueNegatives: 2,
      falseNegatives: 1,
    });
  });
  it("reports churn-class and weighted F1 separately (hand-computed at 0.3)", () => {
    // Predicted churn: first five rows. TP 3, FP 2, TN 1, FN 0.
    const m = classificationMetrics(y, p, 0.3);
    expect(m.precision).toBeCloseTo(3 / 5, 12);
    expect(m.recall).toBe(1);
    expect(m.f1).toBeCloseTo(0.75, 12);
    // Retained-class F1 = 2*1 / (2*1 + 2 + 0) = 0.5; weighted by support 3 and 3.
    expect(m.f1Weighted).toBeCloseTo((3 * 0.75 + 3 * 0.5) / 6, 12);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
  });
  it("gives zero rather than NaN when nothing is predicted churn", () => {
    const m = classificationMetrics(y, p, 0.95);
    expect(m.precision).toBe(0);
    expect(m.f1).toBe(0);
    expect(m.accuracy).toBe(0.5);
  });
});
