import { describe, expect, it } from "vitest";
import { drawHoldout, riskDeciles } from ".";

const candidates = Array.from({ length: 1_000 }, (_, i) => ({
  id: 5_000 + i,
  risk: ((i * 7919) % 1000) / 1000,
}));

describe("the hold-out draw", () => {
  it("puts the riskiest tenth in decile 1, ties broken by id", () => {
    const deciles = riskDeciles([
      { id: 3, risk: 0.9 },
      { id: 1, risk: 0.9 },
      { id: 2, risk: 0.1 },
      { id: 4, risk: 0.5 },
    ]);
    expect([...deciles.entries()]).toEqual([
      [1, 1],
      [3, 3],
      [4, 6],
      [2, 8],
    ]);
  });

  it("draws exactly the share from every risk decile", () => {
    const { holdout, deciles } = drawHoldout(candidates, 0.1, 42);
    expect(holdout.size).toBe(100);
    const perDecile = new Map<number, number>();
    for (const id of holdout)
      perDecile.set(deciles.get(id) as number, (perDecile.get(deciles.get(id) as number) ?? 0) + 1);
    expect([...perDecile.entries()].sort((a, b) => a[0] - b[0])).toEqual(
      Array.from({ length: 10 }, (_, i) => [i + 1, 10]),
    );
  });

  it("keeps the total exact when deciles do not divide evenly", () => {
    const odd = candidates.slice(0, 37);
    const { holdout, deciles } = drawHoldout(odd, 0.25, 7);
    expect(holdout.size).toBe(Math.round(0.25 * 37));
    const sizes = new Map<number, number>();
    for (const d of deciles.values()) sizes.set(d, (sizes.get(d) ?? 0) + 1);
    for (const id of holdout) {
      const d = deciles.get(id) as number;
      expect(
        Math.abs(0.25 * (sizes.get(d) as number) - [...holdout].filter((h) => deciles.get(h) === d).length),
      ).toBeLessThan(1);
    }
  });

  it("gives the same group for the same seed and a different one for another seed", () => {
    const a = [...drawHoldout(candidates, 0.1, 42).holdout].sort();
    const b = [...drawHoldout([...candidates].reverse(), 0.1, 42).holdout].sort();
    const c = [...drawHoldout(candidates, 0.1, 43).holdout].sort();
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("draws nobody at share 0 and refuses a share of 1 or more", () => {
    expect(drawHoldout(candidates, 0, 1).holdout.size).toBe(0);
    expect(() => drawHoldout(candidates, 1, 1)).toThrow(RangeError);
  });
});
