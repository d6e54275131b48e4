import { describe, expect, it } from "vitest";
import { stratifiedKFold, stratifiedSplit } from "./split";

function labels(n: number, positives: number): Uint8Array {
  const y = new Uint8Array(n);
  for (let i = 0; i < positives; i++) y[(i * 7) % n] = 1;
  return y;
}

function count(y: Uint8Array, idx: Uint32Array): number {
  let s = 0;
  for (const i of idx) s += y[i];
  return s;
}

describe("stratifiedKFold", () => {
  const y = labels(103, 27);
  const folds = stratifiedKFold(y, { folds: 5, seed: 1 });

  it("puts every row in exactly one validation fold and never in its own training part", () => {
    const seen = new Uint8Array(y.length);
    for (const { train, validation } of folds) {
      for (const i of validation) seen[i]++;
      const trainSet = new Set(train);
      for (const i of validation) expect(trainSet.has(i)).toBe(false);
      expect(train.length + validation.length).toBe(y.length);
    }
    expect([...seen].every((v) => v === 1)).toBe(true);
  });
  it("keeps the churn rate of every fold within one row per class", () => {
    for (const { validation } of folds) {
      expect(Math.abs(count(y, validation) - 27 / 5)).toBeLessThanOrEqual(1);
      expect(Math.abs(validation.length - 103 / 5)).toBeLessThanOrEqual(1);
    }
  });
  it("is deterministic for a seed and changes with the seed", () => {
    expect(stratifiedKFold(y, { folds: 5, seed: 1 })).toEqual(folds);
    expect(stratifiedKFold(y, { folds: 5, seed: 2 })[0].validation).not.toEqual(folds[0].validation);
  });
  it("refuses more folds than rows of the rarer class", () => {
    expect(() => stratifiedKFold(labels(20, 3), { folds: 5 })).toThrow(/Only 3 rows of class 1/);
  });
});

describe("stratifiedSplit", () => {
  it("holds out the requested share of each class", () => {
    const y = labels(200, 50);
    const { train, validation } = stratifiedSplit(y, { testFraction: 0.2, seed: 3 });
    expect(validation.length).toBe(40);
    expect(count(y, validation)).toBe(10);
    expect(new Set([...train, ...validation]).size).toBe(200);
  });
});
