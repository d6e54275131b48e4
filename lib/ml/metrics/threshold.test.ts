import { describe, expect, it } from "vitest";
import { confusionMatrix, expectedProfit, selectThreshold } from "./index";

// Six customers with ties across the classes (0.8 and 0.4 each hold one churner, one not).
const y = Uint8Array.from([1, 0, 1, 0, 1, 0]);
const p = Float64Array.from([0.9, 0.8, 0.8, 0.4, 0.4, 0.1]);

describe("threshold selection", () => {
  it("maximises churn-class F1 and returns the midpoint to the next score", () => {
    // F1 per cut: 0.9 -> 1/2, 0.8 -> 2/3, 0.4 -> 3/4, 0.1 -> 2/3.
    const choice = selectThreshold(y, p);
    expect(choice.objective).toBe("f1");
    expect(choice.score).toBeCloseTo(0.75, 12);
    expect(choice.threshold).toBeCloseTo(0.25, 12);
    expect(choice.flagged).toBe(5);
  });
  it("can maximise the weighted F1 instead", () => {
    // Weighted F1 per cut: 0.9 -> (3*0.5 + 3*0.75)/6 = 0.625; 0.8 -> 2/3; 0.4 -> 0.625; 0.1 -> (3*2/3 + 0)/6 = 1/3.
    const choice = selectThreshold(y, p, { kind: "f1_weighted" });
    expect(choice.objective).toBe("f1_weighted");
    expect(choice.score).toBeCloseTo(2 / 3, 12);
    expect(choice.threshold).toBeCloseTo(0.6, 12);
  });
  it("maximises expected profit TP*(a*v - c) - FP*c", () => {
    const economics = { offerCost: 10, acceptanceRate: 0.5, customerValue: 100 };
    expect(expectedProfit(3, 2, economics)).toBe(100);
    // Per TP +40, per FP -10: cuts give 40, 70, 100, 90.
    const cheap = selectThreshold(y, p, { kind: "profit", ...economics });
    expect(cheap.score).toBe(100);
    expect(cheap.threshold).toBeCloseTo(0.25, 12);
    // Offer cost 30: per TP +20, per FP -30: cuts give 20, 10, 0, -30 -> only the top customer.
    const dear = selectThreshold(y, p, { kind: "profit", ...economics, offerCost: 30 });
    expect(dear.score).toBe(20);
    expect(dear.threshold).toBeCloseTo(0.85, 12);
    expect(dear.flagged).toBe(1);
  });
  it("contacts nobody when every offer loses money", () => {
    const choice = selectThreshold(y, p, {
      kind: "profit",
      offerCost: 60,
      acceptanceRate: 0.5,
      customerValue: 100,
    });
    expect(choice.flagged).toBe(0);
    expect(
      confusionMatrix(y, p, choice.threshold).truePositives +
        confusionMatrix(y, p, choice.threshold).falsePositives,
    ).toBe(0);
  });
});
