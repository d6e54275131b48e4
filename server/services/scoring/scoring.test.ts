import { describe, expect, it } from "vitest";
import { topDrivers } from "./drivers";
import { riskLevelOf } from "./risk";

describe("risk levels", () => {
  it("bands scores at 0.3 and 0.6, bounds included in the higher band", () => {
    expect([0, 0.29, 0.3, 0.59, 0.6, 1].map((s) => riskLevelOf(s))).toEqual([
      "low",
      "low",
      "medium",
      "medium",
      "high",
      "high",
    ]);
    expect(riskLevelOf(0.5, { medium: 0.2, high: 0.5 })).toBe("high");
  });
});

describe("top drivers", () => {
  it("keeps the three columns that moved the probability most, either way, with the customer's values", () => {
    const explanation = {
      columns: [
        { name: "tenure", logOdds: -0.9, probability: -0.15 },
        { name: "Contract", logOdds: 1.2, probability: 0.2 },
        { name: "gender", logOdds: 0.01, probability: 0.001 },
        { name: "TotalCharges", logOdds: 0.3, probability: 0.05 },
      ],
    };
    const drivers = topDrivers(explanation, {
      tenure: "2",
      Contract: "Month-to-month",
      TotalCharges: " ",
      gender: "F",
    });
    expect(drivers).toEqual([
      { column: "Contract", value: "Month-to-month", contribution: 0.2 },
      { column: "tenure", value: "2", contribution: -0.15 },
      { column: "TotalCharges", value: null, contribution: 0.05 },
    ]);
  });
});
