import { describe, expect, it } from "vitest";
import { stratifiedFoldIds } from "./stratified-folds";

describe("stratifiedFoldIds", () => {
  const y = Uint8Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? 1 : 0)); // 25 churners

  it("keeps the churn rate in every fold and fold sizes within one row", () => {
    const ids = stratifiedFoldIds(y, 3, 1);
    for (let f = 0; f < 3; f++) {
      const members = Array.from(ids.keys()).filter((i) => ids[i] === f);
      expect(members.length === 33 || members.length === 34).toBe(true);
      const churners = members.filter((i) => y[i] === 1).length;
      expect(churners === 8 || churners === 9).toBe(true);
    }
  });

  it("is deterministic given a seed and shuffles differently for another", () => {
    expect(stratifiedFoldIds(y, 3, 1)).toEqual(stratifiedFoldIds(y, 3, 1));
    expect(stratifiedFoldIds(y, 3, 2)).not.toEqual(stratifiedFoldIds(y, 3, 1));
  });
});
