import { describe, expect, it } from "vitest";
import {
  calibrationBounds,
  expectedCalibrationError,
  wilsonInterval,
  worstCalibrationGap,
} from "./calibration-band";

describe("calibration band", () => {
  it("computes Wilson intervals (textbook: 8 of 20 at 95 % is 0.219–0.613)", () => {
    const [low, high] = wilsonInterval(0.4, 20, 1.959963984540054);
    expect(low).toBeCloseTo(0.2188, 3);
    expect(high).toBeCloseTo(0.6134, 3);
    expect(wilsonInterval(0.5, 0)).toEqual([0, 1]);
  });

  it("shifts a risk by its bin's observed-minus-predicted range, using the nearest bin when empty", () => {
    const bins = [
      { lower: 0, upper: 0.1, count: 400, meanPredicted: 0.05, observedRate: 0.05 },
      { lower: 0.5, upper: 0.6, count: 100, meanPredicted: 0.55, observedRate: 0.45 },
    ];
    const bounds = calibrationBounds(bins);
    const [low, high] = wilsonInterval(0.45, 100);
    const b = bounds(0.58);
    expect(b.lower).toBeCloseTo(0.58 + low - 0.55, 12);
    expect(b.upper).toBeCloseTo(0.58 + high - 0.55, 12);
    expect(b.upper).toBeLessThan(0.58); // the bin over-predicts: the whole range is below the score
    // 0.95 has no bin: the nearest (0.5–0.6) is used.
    expect(bounds(0.95).lower).toBeCloseTo(0.95 + low - 0.55, 12);
    expect(bounds(0.001).lower).toBe(0); // clamped at 0
    expect(calibrationBounds([])(0.3)).toEqual({ lower: 0.3, upper: 0.3 });
    expect(worstCalibrationGap(bins)).toBeCloseTo(0.1, 12);
    expect(expectedCalibrationError(bins)).toBeCloseTo(0.02, 12);
  });
});
