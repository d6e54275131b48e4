import { describe, expect, it } from "vitest";
import { qiniCurve, thinQiniPoints } from "./qini";

describe("qiniCurve", () => {
  // Six customers ranked by predicted uplift; hand-computed Q(k) = R_t − R_c · N_t / N_c:
  // k=1: 1 − 0 = 1 (no hold-out yet); k=2: 1 − 0·1/1 = 1; k=3: 2 − 0·2/1 = 2; k=4: 2 − 1·2/2 = 1;
  // k=5: 2 − 1·3/2 = 0.5; k=6: 2 − 1·3/3 = 1. Random line: k/6 · 1. Area between the two over the
  // share contacted: (1/6)·(5/6 + 4/6 + 9/6 + 2/6 − 2/6) = 0.5, divided by n = 6 → 1/12.
  const uplift = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
  const treated = [1, 0, 1, 0, 1, 0];
  const retained = [1, 0, 1, 1, 0, 0];

  it("matches the hand-computed curve, random line and coefficient", () => {
    const q = qiniCurve(uplift, treated, retained);
    expect(q.points.map((p) => p.contacted)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(q.points.map((p) => p.gain)).toEqual([0, 1, 1, 2, 1, 0.5, 1]);
    q.points.forEach((p, k) => {
      expect(p.random).toBeCloseTo(k / 6, 12);
    });
    expect(q.totalGain).toBe(1);
    expect(q.coefficient).toBeCloseTo(1 / 12, 12);
    expect(q.top20).toEqual({ contacted: 1, gain: 1, random: 1 / 6 });
  });

  it("does not depend on the input order, and reversing the ranking flips the sign of the area", () => {
    const perm = [3, 0, 5, 1, 4, 2];
    const q = qiniCurve(
      perm.map((i) => uplift[i]),
      perm.map((i) => treated[i]),
      perm.map((i) => retained[i]),
    );
    expect(q.coefficient).toBeCloseTo(1 / 12, 12);
    const reversed = qiniCurve(
      uplift.map((u) => -u),
      treated,
      retained,
    );
    expect(reversed.totalGain).toBe(1);
    expect(reversed.coefficient).toBeLessThan(0);
  });

  it("takes tied predictions together: one point per distinct score", () => {
    const q = qiniCurve([0.5, 0.5, 0.5, 0.1], [1, 0, 1, 0], [1, 0, 1, 1]);
    expect(q.points.map((p) => p.contacted)).toEqual([0, 3, 4]);
    // Top 3: 2 treated kept − 0 hold-out kept → 2; all 4: 2 − 1·2/2 = 1.
    expect(q.points.map((p) => p.gain)).toEqual([0, 2, 1]);
    // Everyone tied → the curve is the random line: coefficient exactly 0.
    expect(qiniCurve([0, 0, 0, 0], [1, 0, 1, 0], [1, 0, 1, 1]).coefficient).toBe(0);
  });

  it("rejects arrays of different lengths and non-finite predictions", () => {
    expect(() => qiniCurve([1, 2], [1], [1, 0])).toThrow(/2 predictions, 1 treatment flags/);
    expect(() => qiniCurve([Number.NaN], [1], [1])).toThrow(/NaN at row 0/);
  });

  it("thins long curves for charts, keeping both ends", () => {
    const n = 1000;
    const q = qiniCurve(
      Array.from({ length: n }, (_, i) => -i),
      Array.from({ length: n }, (_, i) => i % 2),
      Array.from({ length: n }, (_, i) => (i % 3 ? 1 : 0)),
    );
    const thin = thinQiniPoints(q.points, 51);
    expect(thin).toHaveLength(51);
    expect(thin[0].contacted).toBe(0);
    expect(thin[50].contacted).toBe(n);
  });
});
