import { describe, expect, it } from "vitest";
import { modelQuality, qualityGrade } from "./model-quality";

describe("model quality in words", () => {
  it("grades the AUC and reads the catch rate of the riskiest 30 % from the lift table", () => {
    expect(qualityGrade(0.93)).toBe("excellent");
    expect(qualityGrade(0.84)).toBe("good");
    expect(qualityGrade(0.72)).toBe("fair");
    expect(qualityGrade(0.6)).toBe("weak");
    const lift = [
      { decile: 1, cumulativeGain: 0.3 },
      { decile: 2, cumulativeGain: 0.52 },
      { decile: 3, cumulativeGain: 0.68 },
    ];
    expect(modelQuality(0.84, lift)).toEqual({
      grade: "good",
      caught: 0.68,
      topShare: 0.3,
      sentence: "good — catches 7 in 10 leavers in the riskiest 30 %",
    });
    expect(modelQuality(0.84, null).sentence).toBe("good: ranks leavers above stayers 84 % of the time");
  });
});
