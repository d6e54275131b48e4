import { describe, expect, it } from "vitest";
import { foldContributions, meanAbsoluteImportance } from "./fold-contributions";

// Two rows, five encoded features: Contract one-hot (3 parts), tenure, and a ratio of tenure and charges.
const explanation = {
  rows: 2,
  cols: 5,
  values: Float64Array.from([0.1, 0.2, -0.05, 0.3, 0.4, -0.1, 0, 0, -0.2, 0.2]),
};
const sources = ["Contract", "Contract", "Contract", "tenure", ["tenure", "MonthlyCharges"]];

describe("foldContributions", () => {
  it("sums all one-hot parts of a column into one contribution", () => {
    const folded = foldContributions(explanation, sources);
    expect(folded.columns).toEqual(["Contract", "tenure", "MonthlyCharges"]);
    expect(folded.values[0]).toBeCloseTo(0.25, 12);
    expect(folded.values[3]).toBeCloseTo(-0.1, 12);
  });
  it("splits a multi-column feature equally among its sources", () => {
    const folded = foldContributions(explanation, sources);
    expect(folded.values[1]).toBeCloseTo(0.3 + 0.2, 12);
    expect(folded.values[2]).toBeCloseTo(0.2, 12);
  });
  it("keeps each row's total (additivity)", () => {
    const folded = foldContributions(explanation, sources);
    for (let r = 0; r < 2; r++) {
      const before = explanation.values.slice(r * 5, r * 5 + 5).reduce((a, b) => a + b, 0);
      const after = folded.values.slice(r * 3, r * 3 + 3).reduce((a, b) => a + b, 0);
      expect(after).toBeCloseTo(before, 12);
    }
  });
  it("rejects a source list of the wrong length", () => {
    expect(() => foldContributions(explanation, ["a"])).toThrow(/1 feature sources for 5/);
  });
});

describe("meanAbsoluteImportance", () => {
  it("ranks columns by mean absolute contribution", () => {
    const ranked = meanAbsoluteImportance(foldContributions(explanation, sources));
    expect(ranked.map((r) => r.column)).toEqual(["tenure", "Contract", "MonthlyCharges"]);
    expect(ranked[0].meanAbs).toBeCloseTo((0.5 + 0.1) / 2, 12);
  });
});
