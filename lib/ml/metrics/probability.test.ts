import { describe, expect, it } from "vitest";
import { brierScore, logLoss } from "./index";

describe("probability metrics", () => {
  it("log loss is the mean negative log-likelihood", () => {
    const yy = Uint8Array.from([1, 0]);
    expect(logLoss(yy, [0.8, 0.4])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
  });
  it("log loss stays finite for a confident mistake", () => {
    expect(Number.isFinite(logLoss(Uint8Array.from([1]), [0]))).toBe(true);
  });
  it("Brier score is the mean squared error of the probability", () => {
    expect(brierScore(Uint8Array.from([1, 0]), [0.8, 0.4])).toBeCloseTo((0.04 + 0.16) / 2, 12);
  });
});
