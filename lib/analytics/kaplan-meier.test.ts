import { describe, expect, it } from "vitest";
import {
  type DurationCount,
  expectedRemainingLifetime,
  kaplanMeier,
  remainingLifetimeOf,
  remainingLifetimeTable,
  survivalAt,
} from "./kaplan-meier";

/**
 * Freireich et al. (1963), 6-MP arm: remission times in weeks, "+" censored. The textbook example
 * of Kaplan–Meier (Kleinbaum & Klein, "Survival Analysis", table 2.1; Collett, example 2.3), with
 * S(t) = 0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448 and log-log 95 % bands from R's survfit.
 */
const events = [6, 6, 6, 7, 10, 13, 16, 22, 23];
const censored = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35];
function countsOf(): DurationCount[] {
  const map = new Map<number, DurationCount>();
  for (const t of events) {
    const c = map.get(t) ?? { time: t, events: 0, censored: 0 };
    c.events += 1;
    map.set(t, c);
  }
  for (const t of censored) {
    const c = map.get(t) ?? { time: t, events: 0, censored: 0 };
    c.censored += 1;
    map.set(t, c);
  }
  return [...map.values()].reverse(); // order must not matter
}

describe("Kaplan–Meier", () => {
  const curve = kaplanMeier(countsOf());
  const at = (t: number) => curve.points.find((p) => p.time === t);

  it("reproduces the 6-MP survival estimates, risk sets and median", () => {
    expect(curve.customers).toBe(21);
    expect(curve.events).toBe(9);
    const expected: [number, number, number][] = [
      [6, 21, 0.857],
      [7, 17, 0.807],
      [10, 15, 0.753],
      [13, 12, 0.69],
      [16, 11, 0.627],
      [22, 7, 0.538],
      [23, 6, 0.448],
    ];
    for (const [t, n, s] of expected) {
      expect(at(t)?.atRisk).toBe(n);
      expect(at(t)?.survival).toBeCloseTo(s, 3);
    }
    // Censored-only times keep the curve flat.
    expect(at(9)?.survival).toBeCloseTo(0.807, 3);
    expect(survivalAt(curve, 5.9)).toBe(1);
    expect(survivalAt(curve, 24)).toBeCloseTo(0.448, 3);
    expect(curve.medianLifetime).toBe(23);
    expect(curve.maxTime).toBe(35);
  });

  it("gives Greenwood log-log confidence bands (R: survfit(conf.type = 'log-log'))", () => {
    expect(at(6)?.lower).toBeCloseTo(0.62, 2);
    expect(at(6)?.upper).toBeCloseTo(0.952, 3);
    expect(at(23)?.lower).toBeCloseTo(0.188, 2);
    expect(at(23)?.upper).toBeCloseTo(0.676, 2);
    for (const p of curve.points) {
      expect(p.lower).toBeLessThanOrEqual(p.survival);
      expect(p.upper).toBeGreaterThanOrEqual(p.survival);
    }
  });

  it("has no median while more than half remain", () => {
    const few = kaplanMeier([
      { time: 1, events: 1, censored: 0 },
      { time: 5, events: 0, censored: 9 },
    ]);
    expect(few.medianLifetime).toBeNull();
    expect(few.points.at(-1)?.survival).toBeCloseTo(0.9, 12);
  });

  it("computes the expected remaining lifetime from the area under the curve plus an exponential tail", () => {
    const s = [1, 18 / 21, (18 / 21) * (16 / 17)];
    const s10 = s[2] * (14 / 15);
    const s13 = s10 * (11 / 12);
    const s16 = s13 * (10 / 11);
    const s22 = s16 * (6 / 7);
    const s23 = s22 * (5 / 6);
    const areaFrom0 = 6 * 1 + 1 * s[1] + 3 * s[2] + 3 * s10 + 3 * s13 + 6 * s16 + 1 * s22 + (35 - 23) * s23;
    const hazard =
      9 / (6 + 6 + 6 + 7 + 10 + 13 + 16 + 22 + 23 + 6 + 9 + 10 + 11 + 17 + 19 + 20 + 25 + 32 + 32 + 34 + 35);
    expect(curve.tailHazard).toBeCloseTo(hazard, 12);
    expect(expectedRemainingLifetime(curve, 0)).toBeCloseTo(areaFrom0 + s23 / hazard, 9);
    // Conditional on having lasted 20 weeks: area from 20 divided by S(20).
    const areaFrom20 = 2 * s16 + 1 * s22 + 12 * s23;
    expect(expectedRemainingLifetime(curve, 20)).toBeCloseTo((areaFrom20 + s23 / hazard) / s16, 9);
    // Past the longest observation the tail is memoryless.
    expect(expectedRemainingLifetime(curve, 40)).toBeCloseTo(1 / hazard, 9);
  });

  it("looks remaining lifetimes up by the largest observed time at or below the duration", () => {
    const table = remainingLifetimeTable(curve);
    expect(remainingLifetimeOf(table, 20)).toBeCloseTo(expectedRemainingLifetime(curve, 20), 9);
    expect(remainingLifetimeOf(table, 21.5)).toBeCloseTo(expectedRemainingLifetime(curve, 20), 9);
    expect(remainingLifetimeOf(table, 2)).toBe(table[0].remaining);
    expect(remainingLifetimeOf([], 2)).toBe(0);
  });
});
