import { describe, expect, it } from "vitest";
import { describeDriver, formatPoints, formatSignedPoints, formatValue } from "./wording";

describe("plain-word drivers", () => {
  it("says which way and by how many whole points a value moves the risk", () => {
    expect(describeDriver("Contract", "Month-to-month", 0.183)).toBe(
      "Contract = Month-to-month raises risk by 18 points",
    );
    expect(describeDriver("tenure", 2, -0.049)).toBe("tenure = 2 lowers risk by 5 points");
    expect(describeDriver("TotalCharges", null, 0.012)).toBe(
      "TotalCharges = (missing) raises risk by 1 point",
    );
    expect(describeDriver("gender", "Male", -0.002)).toBe("gender = Male lowers risk by <1 point");
  });

  it("formats values and points without float noise", () => {
    expect(formatValue(95.50000001)).toBe("95.5");
    expect(formatValue(0.1 + 0.2)).toBe("0.3");
    expect(formatValue("  ")).toBe("(missing)");
    expect(formatValue(undefined)).toBe("(missing)");
    expect(formatValue(true)).toBe("Yes");
    expect(formatPoints(0.0049)).toBe("<1 point");
    expect(formatPoints(-0.25)).toBe("25 points");
    expect(formatSignedPoints(0.18)).toBe("+18");
    expect(formatSignedPoints(-0.05)).toBe("−5");
    expect(formatSignedPoints(0.001)).toBe("+<1");
  });
});
