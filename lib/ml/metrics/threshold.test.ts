import { describe, expect, it } from "vitest";
import { confusionMatrix, expectedProfit, planContacts, selectThreshold } from "./index";

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

describe("planning contacts on active customers", () => {
  /** Deterministic pseudo-random numbers (a small LCG) so the brute force sees varied inputs. */
  function random(seed: number) {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  it("finds the same best N as trying every N by brute force, for both rankings and a budget cap", () => {
    for (let seed = 1; seed <= 25; seed++) {
      const next = random(seed);
      const n = 5 + Math.floor(next() * 60);
      const risk = Float64Array.from({ length: n }, () => Math.round(next() * 20) / 20); // ties
      const value = Float64Array.from({ length: n }, () => 20 + Math.round(next() * 200));
      const economics = { offerCost: 5 + next() * 30, acceptanceRate: 0.1 + next() * 0.5 };
      const cap = seed % 3 === 0 ? Math.floor(n / 4) : undefined;
      for (const ranking of ["risk", "expected_value"] as const) {
        const plan = planContacts(risk, value, economics, { ranking, maxContacts: cap });
        // Brute force: rank by the key, then every N's profit summed from scratch.
        const keyOf = (i: number) =>
          ranking === "risk" ? risk[i] : risk[i] * value[i] * economics.acceptanceRate;
        const ranked = [...risk.keys()].sort((a, b) => keyOf(b) - keyOf(a) || a - b);
        let bestN = 0;
        let bestProfit = 0;
        for (let k = 1; k <= (cap ?? n); k++) {
          let profit = 0;
          for (const i of ranked.slice(0, k))
            profit += risk[i] * economics.acceptanceRate * value[i] - economics.offerCost;
          if (profit > bestProfit + 1e-9) {
            bestProfit = profit;
            bestN = k;
          }
        }
        expect(plan.best.contacted).toBe(bestN);
        expect(plan.best.profit).toBeCloseTo(bestProfit, 9);
        expect(plan.best.cost).toBeCloseTo(bestN * economics.offerCost, 9);
        expect([...plan.order.slice(0, bestN)]).toEqual(ranked.slice(0, bestN));
        expect(plan.curve.some((p) => p.contacted === bestN)).toBe(true);
        expect(plan.curve[0].contacted).toBe(0);
        expect(plan.curve.at(-1)?.contacted).toBe(cap ?? n);
      }
    }
  });

  it("agrees with the labelled profit threshold when outcomes are certain and values equal", () => {
    // Probabilities of exactly 0 or 1 are labels: the expected profit is expectedProfit(TP, FP).
    const labels = Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 0]);
    const scores = Float64Array.from([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]);
    const economics = { offerCost: 10, acceptanceRate: 0.5, customerValue: 100 };
    const byLabel = selectThreshold(labels, scores, { kind: "profit", ...economics });
    // Rank by the scores, but count each contacted customer's outcome as its label.
    const order = [...scores.keys()].sort((a, b) => scores[b] - scores[a]);
    const asProbability = Float64Array.from(order.map((i) => labels[i]));
    const rankedValues = new Float64Array(labels.length).fill(economics.customerValue);
    const plan = planContacts(asProbability, rankedValues, economics, {
      ranking: "risk",
      maxCurvePoints: 100,
    });
    const atSameN = plan.curve.find((p) => p.contacted === byLabel.flagged);
    // Sorting by the label moves the churners first, so the plan can only do as well or better.
    expect(plan.best.profit).toBeGreaterThanOrEqual(byLabel.score);
    const tp = order.slice(0, byLabel.flagged).filter((i) => labels[i] === 1).length;
    expect(expectedProfit(tp, byLabel.flagged - tp, economics)).toBe(byLabel.score);
    expect(atSameN?.profit).toBeGreaterThanOrEqual(byLabel.score);
  });

  it("contacts nobody when no offer pays, and reports the calibration range at the best N", () => {
    const risk = Float64Array.from([0.5, 0.4]);
    const value = Float64Array.from([10, 10]);
    const none = planContacts(risk, value, { offerCost: 100, acceptanceRate: 0.5 });
    expect(none.best).toMatchObject({ contacted: 0, cost: 0, savedValue: 0, profit: 0, cutoff: null });
    const plan = planContacts(
      Float64Array.from([0.8, 0.6, 0.1]),
      Float64Array.from([100, 100, 100]),
      { offerCost: 10, acceptanceRate: 0.5 },
      { bounds: { lower: [0.7, 0.5, 0.05], upper: [0.9, 0.7, 0.2] } },
    );
    expect(plan.best).toMatchObject({ contacted: 2, cost: 20, minRisk: 0.6, cutoff: 0.6 });
    expect(plan.best.savedValue).toBeCloseTo(70, 9);
    expect(plan.best.expectedChurners).toBeCloseTo(1.4, 9);
    expect(plan.best.savedLower).toBeCloseTo(60, 9);
    expect(plan.best.savedUpper).toBeCloseTo(80, 9);
    expect(plan.best.profitLower).toBeCloseTo(40, 9);
    expect(plan.best.profitUpper).toBeCloseTo(60, 9);
    expect(plan.outcomeAt(1)).toMatchObject({ contacted: 1, cost: 10, cutoff: 0.8 });
    expect(plan.outcomeAt(99).contacted).toBe(3);
    expect(() => planContacts([0.1], [1, 2], { offerCost: 1, acceptanceRate: 1 })).toThrow();
  });
});
