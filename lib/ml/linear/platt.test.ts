import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { sigmoid } from "./fit-inputs";
import { fitPlatt, plattMargin, plattProbability } from "./platt";

function sample(n: number, a: number, b: number, seed: number) {
  const rng = createRng(seed);
  const scores = Float64Array.from({ length: n }, () => 2 * rng.normal());
  const y = Uint8Array.from(scores, (f) => (rng.next() < sigmoid(a * f + b) ? 1 : 0));
  return { scores, y };
}

describe("fitPlatt", () => {
  it("recovers the sigmoid that generated the labels", () => {
    const { scores, y } = sample(40_000, 1.7, -0.8, 1);
    const { a, b } = fitPlatt(scores, y);
    expect(a).toBeCloseTo(1.7, 1);
    expect(b).toBeCloseTo(-0.8, 1);
  });

  it("solves for Platt's regularised targets (N+ + 1) / (N+ + 2) and 1 / (N- + 2)", () => {
    const { scores, y } = sample(300, 1, 0.3, 2);
    const params = fitPlatt(scores, y, undefined, { tolerance: 1e-10 });
    const positives = y.reduce((s, v) => s + v, 0);
    const negatives = y.length - positives;
    let g1 = 0;
    let g2 = 0;
    scores.forEach((f, i) => {
      const target = y[i] ? (positives + 1) / (positives + 2) : 1 / (negatives + 2);
      const residual = plattProbability(params, f) - target;
      g1 += residual * f;
      g2 += residual;
    });
    expect(Math.abs(g1)).toBeLessThan(1e-8);
    expect(Math.abs(g2)).toBeLessThan(1e-8);
  });

  it("stays finite on perfectly separated scores, where plain maximum likelihood diverges", () => {
    const scores = Float64Array.of(-3, -2, -1, 1, 2, 3);
    const y = Uint8Array.of(0, 0, 0, 1, 1, 1);
    const params = fitPlatt(scores, y);
    expect(Number.isFinite(params.a)).toBe(true);
    expect(params.a).toBeGreaterThan(0);
    expect(plattProbability(params, 3)).toBeLessThan(1);
    expect(plattProbability(params, -3)).toBeGreaterThan(0);
  });

  it("honours weights: a zero weight drops a row, and only relative weights matter", () => {
    const scores = Float64Array.of(-2, -1, 0, 0.5, 1, 2, 5);
    const y = Uint8Array.of(0, 1, 0, 1, 0, 1, 0);
    const weights = Float64Array.of(1, 2, 1, 3, 1, 1, 0);
    const weighted = fitPlatt(scores, y, weights, { tolerance: 1e-12 });
    const scaled = fitPlatt(
      scores,
      y,
      weights.map((w) => 10 * w),
      { tolerance: 1e-12 },
    );
    expect(scaled.a).toBeCloseTo(weighted.a, 9);
    expect(scaled.b).toBeCloseTo(weighted.b, 9);
    const unweighted = fitPlatt(scores.subarray(0, 6), y.subarray(0, 6), undefined, { tolerance: 1e-12 });
    expect(Math.abs(unweighted.a - weighted.a)).toBeGreaterThan(0.01);
    // The outlier at f = 5 (weight 0) would pull the slope down if it counted.
    const outlierCounts = fitPlatt(scores, y, undefined, { tolerance: 1e-12 });
    expect(outlierCounts.a).toBeLessThan(weighted.a);
  });

  it("returns the log-odds and probability of the same calibrated score", () => {
    const params = { a: 2, b: -1 };
    expect(plattMargin(params, 0.75)).toBe(0.5);
    expect(plattProbability(params, 0.75)).toBeCloseTo(sigmoid(0.5), 15);
  });
});
