import { describe, expect, it } from "vitest";
import { measureUplift, newcombeInterval, savedCustomers, waldInterval, wilsonInterval } from ".";

describe("uplift and its 95 % interval", () => {
  // Newcombe (1998), example (a): 56/70 vs 48/80. Published method-10 interval: +0.0524 to +0.3339.
  it("matches Newcombe's published hybrid score interval for 56/70 − 48/80", () => {
    const ci = newcombeInterval(56, 70, 48, 80);
    expect(ci.lower).toBeCloseTo(0.0524, 4);
    expect(ci.upper).toBeCloseTo(0.3339, 4);
  });

  it("computes the Wilson interval by hand for 56/70", () => {
    // z = 1.96: centre = (0.8 + 1.9208/70) / (1 + 3.8415/70) = 0.82744 / 1.05488 = 0.78439
    // half = (1.96 / 1.05488) × sqrt(0.16/70 + 3.8415/19600) = 1.85801 × 0.04979 = 0.09251
    const ci = wilsonInterval(56, 70);
    expect(ci.lower).toBeCloseTo(0.6918, 3);
    expect(ci.upper).toBeCloseTo(0.877, 3);
    expect(wilsonInterval(0, 10).lower).toBe(0);
    expect(wilsonInterval(10, 10).upper).toBeCloseTo(1, 12);
  });

  it("is wider than Wald at a small, extreme hold-out (where Wald is known to be too narrow)", () => {
    // Wald by hand for 56/70 − 48/80: 0.2 ± 1.96 × sqrt(0.16/70 + 0.24/80) = 0.2 ± 0.1425.
    const wald = waldInterval(56, 70, 48, 80);
    expect(wald.lower).toBeCloseTo(0.0575, 3);
    expect(wald.upper).toBeCloseTo(0.3425, 3);
    // 10/10 − 9/10: Wald sees no variance in the first group at all (0.1 ± 0.186).
    const newcombe = newcombeInterval(10, 10, 9, 10);
    const narrow = waldInterval(10, 10, 9, 10);
    expect(newcombe.upper - newcombe.lower).toBeGreaterThan(narrow.upper - narrow.lower);
    expect(newcombe.lower).toBeGreaterThanOrEqual(-1);
    expect(newcombe.upper).toBeLessThanOrEqual(1);
  });

  it("measures action vs hold-out and turns it into customers saved with a plain sentence", () => {
    const estimate = measureUplift({ resolved: 70, retained: 56 }, { resolved: 80, retained: 48 });
    expect(estimate.treatedRate).toBeCloseTo(0.8);
    expect(estimate.holdoutRate).toBeCloseTo(0.6);
    expect(estimate.uplift).toBeCloseTo(0.2);
    const saved = savedCustomers(estimate, 205);
    // 0.2 × 205 = 41; 0.0524 × 205 = 10.7; 0.3339 × 205 = 68.4
    expect(saved).toMatchObject({ estimate: 41, lower: 11, upper: 68 });
    expect(saved?.sentence).toBe("the campaign saved an estimated 41 customers (between 11 and 68)");
  });

  it("says so when the interval includes no effect, and refuses without both groups", () => {
    const weak = measureUplift({ resolved: 10, retained: 7 }, { resolved: 10, retained: 6 });
    expect(savedCustomers(weak, 100)?.sentence).toMatch(
      /between losing \d+ and \d+\); so far this is not distinguishable/,
    );
    const none = measureUplift({ resolved: 10, retained: 7 }, { resolved: 0, retained: 0 });
    expect(none.uplift).toBeNull();
    expect(savedCustomers(none, 100)).toBeNull();
  });
});
