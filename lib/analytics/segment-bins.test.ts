import { describe, expect, it } from "vitest";
import { detectDurationColumn, durationChoices, durationUnitOf } from "./duration-column";
import { distinctCuts, numericBins, quantileFractions } from "./segment-bins";

describe("segment bins", () => {
  it("asks for the inner quantiles and labels the half-open bins width_bucket numbers", () => {
    expect(quantileFractions(4)).toEqual([0.25, 0.5, 0.75]);
    expect(() => quantileFractions(1)).toThrow(RangeError);
    const cuts = distinctCuts([29, 9, 29, null, 55.5]);
    expect(cuts).toEqual([9, 29, 55.5]);
    expect(numericBins(cuts).map((b) => [b.index, b.label])).toEqual([
      [0, "under 9"],
      [1, "9 to under 29"],
      [2, "29 to under 55.5"],
      [3, "55.5 and over"],
    ]);
    expect(numericBins([])).toEqual([{ index: 0, lower: null, upper: null, label: "all" }]);
  });
});

describe("duration column", () => {
  const col = (name: string, type = "numeric", role = "feature", min = 0) => ({ name, type, role, min });
  it("finds Telco's tenure, not MonthlyCharges, and prefers strong names", () => {
    expect(detectDurationColumn([col("MonthlyCharges"), col("tenure")])).toBe("tenure");
    expect(detectDurationColumn([col("Months"), col("customer_age")])).toBe("customer_age");
    expect(detectDurationColumn([col("MonthlyCharges"), col("Contract", "categorical")])).toBeNull();
    expect(detectDurationColumn([col("tenure", "numeric", "feature", -1)])).toBeNull();
    expect(detectDurationColumn([col("tenure", "numeric", "target")])).toBeNull();
    expect(durationChoices([col("a"), col("b", "categorical")])).toEqual(["a"]);
  });
  it("guesses the unit from the name", () => {
    expect(durationUnitOf("tenure")).toBe("months");
    expect(durationUnitOf("days_since_signup")).toBe("days");
    expect(durationUnitOf("x")).toBe("periods");
  });
});
