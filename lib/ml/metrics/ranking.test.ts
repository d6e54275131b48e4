import { describe, expect, it } from "vitest";
import { averagePrecision, rocAuc, rocCurve } from "./index";

// Six customers with ties across the classes (0.8 and 0.4 each hold one churner, one not).
const y = Uint8Array.from([1, 0, 1, 0, 1, 0]);
const p = Float64Array.from([0.9, 0.8, 0.8, 0.4, 0.4, 0.1]);

describe("rocAuc", () => {
  it("counts a tied churner/non-churner pair as one half (hand-computed 7/9)", () => {
    // Pairs won: 0.9 beats all 3; 0.8 ties 1 and beats 2 (2.5); 0.4 ties 1 and beats 1 (1.5) => 7/9.
    expect(rocAuc(y, p)).toBeCloseTo(7 / 9, 12);
  });
  it("equals the trapezoid area under the tie-grouped ROC curve", () => {
    const pts = rocCurve(y, p);
    let area = 0;
    for (let i = 1; i < pts.length; i++) {
      area += ((pts[i].fpr - pts[i - 1].fpr) * (pts[i].tpr + pts[i - 1].tpr)) / 2;
    }
    expect(area).toBeCloseTo(rocAuc(y, p), 5);
  });
  it("is 1 for perfect ranking, 0 for inverted, 0.5 when all scores tie", () => {
    const yy = Uint8Array.from([0, 0, 1, 1]);
    expect(rocAuc(yy, [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc(yy, [0.4, 0.3, 0.2, 0.1])).toBe(0);
    expect(rocAuc(yy, [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });
  it("is NaN with a single class and rejects mismatched lengths", () => {
    expect(rocAuc(Uint8Array.from([1, 1]), [0.2, 0.3])).toBeNaN();
    expect(() => rocAuc(Uint8Array.from([1, 0]), [0.2])).toThrow(/2 labels but 1 scores/);
  });
});

describe("averagePrecision (PR AUC)", () => {
  it("sums recall steps times precision per distinct threshold (hand-computed 34/45)", () => {
    // Thresholds 0.9, 0.8, 0.4: recall 1/3, 2/3, 1 with precision 1, 2/3, 3/5.
    expect(averagePrecision(y, p)).toBeCloseTo(1 / 3 + 2 / 9 + 1 / 5, 12);
  });
  it("is 1 for a perfect ranking", () => {
    expect(averagePrecision(Uint8Array.from([0, 1, 1]), [0.1, 0.7, 0.9])).toBe(1);
  });
});
