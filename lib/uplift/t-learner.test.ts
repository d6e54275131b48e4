import { describe, expect, it } from "vitest";
import { inferSchema } from "../ml/data/schema-inference";
import { createRng } from "../ml/random";
import { fitUpliftModel, rankByUpliftValue, UPLIFT_REQUIREMENTS, UpliftModel } from "./t-learner";

/**
 * A randomised campaign: half the customers got the action at random. Churn risk without action is
 * 40 % (plus a little from usage). The action lowers it to 10 % in segment "Monthly" only when
 * `effect` is true; elsewhere it does nothing.
 */
function campaign(n: number, seed: number, effect: boolean) {
  const rng = createRng(seed);
  const rows: string[][] = [];
  const treated: boolean[] = [];
  const churned: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const plan = ["Monthly", "Yearly", "Two year"][rng.int(3)];
    const usage = Math.round(rng.next() * 100);
    const isTreated = rng.next() < 0.5;
    let risk = 0.3 + (usage < 30 ? 0.2 : 0);
    if (effect && isTreated && plan === "Monthly") risk = 0.1;
    const isChurned = rng.next() < risk;
    rows.push([`c${i}`, plan, String(usage), isChurned ? "Yes" : "No"]);
    treated.push(isTreated);
    churned.push(isChurned);
  }
  const columns = ["customer_id", "plan", "usage", "churn"];
  const schema = inferSchema({ columns, rows }, { target: "churn" });
  const records = rows.map((r) => Object.fromEntries(columns.map((c, j) => [c, r[j]])));
  return { schema, records, treated, churned };
}

function mean(values: ArrayLike<number>, keep: (i: number) => boolean): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++)
    if (keep(i)) {
      sum += values[i];
      count++;
    }
  return sum / count;
}

describe("fitUpliftModel (T-learner)", () => {
  it("recovers a treatment effect confined to one segment, with an honest positive Qini", () => {
    const data = campaign(6000, 21, true);
    const result = fitUpliftModel(data.schema, data.records, data.treated, data.churned, { seed: 3 });
    if (!result.ok) throw new Error(result.message);
    const monthly = (i: number) => data.records[i].plan === "Monthly";
    // Predicted uplift on the training customers: ≈ 0.3 for Monthly (0.3..0.5 → 0.1), ≈ 0 elsewhere.
    const fitted = result.model.predictRecords(data.records).uplift;
    expect(mean(fitted, monthly)).toBeGreaterThan(0.2);
    expect(mean(fitted, monthly)).toBeLessThan(0.45);
    expect(Math.abs(mean(fitted, (i) => !monthly(i)))).toBeLessThan(0.06);
    // Out of fold too, every Monthly customer ranks above nearly every other.
    expect(mean(result.outOfFold, monthly)).toBeGreaterThan(0.2);
    // Ranking the Monthly third perfectly first would give ≈ 0.05 · (1/3) / 2 ≈ 0.017 (Q(n)/n ≈ 0.05);
    // with no effect the coefficient stays within ±0.005 (next test).
    expect(result.qini.coefficient).toBeGreaterThan(0.01);
    expect(result.qini.top20.gain).toBeGreaterThan(result.qini.top20.random);
    expect(result.counts.treated + result.counts.holdout).toBe(6000);
  });

  it("gives a Qini coefficient near 0 when the action does nothing", () => {
    const coefficients = [21, 22, 23].map((seed) => {
      const data = campaign(6000, seed, false);
      const result = fitUpliftModel(data.schema, data.records, data.treated, data.churned, { seed });
      if (!result.ok) throw new Error(result.message);
      return result.qini.coefficient;
    });
    for (const c of coefficients) expect(Math.abs(c)).toBeLessThan(0.005);
  });

  it("says what is missing when either group has too few outcomes", () => {
    const data = campaign(250, 5, true);
    const holdoutOnly50 = data.treated.map((t, i) => t || i % 3 !== 0);
    const result = fitUpliftModel(data.schema, data.records, holdoutOnly50, data.churned);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.requirements).toEqual(UPLIFT_REQUIREMENTS);
    expect(result.message).toMatch(
      /Record outcomes for at least 200 customers who got an action and 100 hold-out customers/,
    );
    expect(result.message).toMatch(new RegExp(`${result.counts.holdout} of 100 hold-out customers`));

    const noChurn = fitUpliftModel(
      data.schema,
      data.records,
      data.treated,
      data.treated.map((t, i) => (t ? data.churned[i] : false)),
      { requirements: { minTreated: 50, minHoldout: 50 } },
    );
    expect(noChurn.ok).toBe(false);
    if (!noChurn.ok) expect(noChurn.message).toMatch(/Among the hold-out customers, 0 churned/);
  });

  it("round-trips through JSON with identical predictions", () => {
    const data = campaign(800, 8, true);
    const result = fitUpliftModel(data.schema, data.records, data.treated, data.churned, {
      requirements: { minTreated: 100, minHoldout: 100 },
    });
    if (!result.ok) throw new Error(result.message);
    const restored = UpliftModel.fromJSON(JSON.parse(JSON.stringify(result.model.toJSON())));
    const sample = data.records.slice(0, 50);
    expect(Array.from(restored.predictRecords(sample).uplift)).toEqual(
      Array.from(result.model.predictRecords(sample).uplift),
    );
  });
});

describe("rankByUpliftValue", () => {
  it("orders by uplift × value, so a small uplift on a valuable customer can come first", () => {
    expect(rankByUpliftValue([0.3, 0.05, -0.1, 0.2], [100, 1000, 5000, 100])).toEqual([1, 0, 3, 2]);
    expect(() => rankByUpliftValue([1], [])).toThrow(/1 uplifts and 0 values/);
  });
});
