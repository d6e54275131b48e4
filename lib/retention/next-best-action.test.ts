import { describe, expect, it } from "vitest";
import { columnKinds } from "./columns";
import { findNextBestAction, type SearchInput } from "./next-best-action";
import type { CellValue } from "./wording";

const inputs: SearchInput[] = [
  { name: "tenure", kind: "numeric", min: 0, max: 72, isInteger: true },
  { name: "SeniorCitizen", kind: "categorical", categories: ["0", "1"] },
  { name: "Contract", kind: "categorical", categories: ["Month-to-month", "One year", "Two year"] },
  {
    name: "PaymentMethod",
    kind: "categorical",
    categories: ["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"],
  },
  { name: "TechSupport", kind: "categorical", categories: ["No", "Yes", "No internet service"] },
  { name: "MonthlyCharges", kind: "numeric", min: 18, max: 120 },
];
const kinds = columnKinds(inputs.map((i) => i.name));
const customer = {
  tenure: 2,
  SeniorCitizen: "1",
  Contract: "Month-to-month",
  PaymentMethod: "Electronic check",
  TechSupport: "No",
  MonthlyCharges: 100,
};

/** A toy model: additive risk effects, clamped to 0..1, and a log of every call. */
function toyModel(effects: (r: Record<string, CellValue>) => number) {
  const calls: number[] = [];
  const score = (records: Record<string, CellValue>[]) => {
    calls.push(records.length);
    return records.map((r) => Math.min(1, Math.max(0, effects(r))));
  };
  return { score, calls };
}

describe("next-best action", () => {
  it("never changes a context column, even where context moves the risk most", () => {
    // Here tenure and SeniorCitizen dominate; only the contract is actionable and matters.
    const model = toyModel(
      (r) =>
        0.2 +
        (Number(r.tenure) < 12 ? 0.4 : 0) +
        (r.SeniorCitizen === "1" ? 0.2 : 0) +
        (r.Contract === "Month-to-month" ? 0.05 : 0),
    );
    const best = findNextBestAction({ record: customer, inputs, kinds, score: model.score });
    expect(best).not.toBeNull();
    const changed = [best!, ...best!.alternatives].flatMap((o) => o.changes.map((c) => c.column));
    expect(changed.length).toBeGreaterThan(0);
    for (const column of changed) expect(kinds.get(column)).toBe("actionable");
    expect(changed).not.toContain("tenure");
    expect(changed).not.toContain("SeniorCitizen");
    expect(best!.changes.map((c) => c.column)).toEqual(["Contract"]);
    expect(best!.currentRisk).toBeCloseTo(0.85, 12);
    expect(best!.reduction).toBeCloseTo(0.05, 12);
    expect(model.calls).toHaveLength(1);
  });

  it("returns null when no actionable change lowers the risk", () => {
    const model = toyModel((r) => 0.3 + (Number(r.tenure) < 12 ? 0.4 : 0));
    expect(findNextBestAction({ record: customer, inputs, kinds, score: model.score })).toBeNull();
    expect(model.calls).toEqual([expect.any(Number)]);
  });

  it("prefers the change with the best reduction net of cost, with alternatives", () => {
    // Two-year contract lowers risk 1 point more than one-year but costs a unit more: one-year wins.
    // Autopay (cost 1) lowers risk by 20 points: the biggest net benefit of all singles.
    const model = toyModel(
      (r) =>
        0.7 -
        (r.Contract === "One year" ? 0.1 : r.Contract === "Two year" ? 0.11 : 0) -
        (String(r.PaymentMethod).includes("automatic") ? 0.2 : 0),
    );
    const best = findNextBestAction({ record: customer, inputs, kinds, score: model.score });
    expect(best?.changes.map((c) => `${c.column}=${c.to}`).sort()).toEqual([
      "Contract=One year",
      "PaymentMethod=Bank transfer (automatic)",
    ]);
    expect(best?.cost).toBe(3);
    expect(best?.newRisk).toBeCloseTo(0.4, 12);
    expect(best?.title).toBe("Offer a one-year contract and move to automatic payment");
    // Without pairs the cheap autopay change wins on its own.
    const single = findNextBestAction({
      record: customer,
      inputs,
      kinds,
      score: model.score,
      maxCandidates: 5,
    });
    expect(single?.changes).toEqual([
      {
        column: "PaymentMethod",
        from: "Electronic check",
        to: "Bank transfer (automatic)",
        text: "PaymentMethod: Electronic check → Bank transfer (automatic)",
      },
    ]);
    expect(single?.alternatives.length).toBeGreaterThan(0);
    for (const alt of single!.alternatives) expect(alt.reduction).toBeGreaterThan(0);
    // Credit card is the same offer as bank transfer: it is not listed again as an alternative.
    expect(single!.alternatives.map((a) => a.title)).not.toContain(single!.title);
  });

  it("never pads an action with a second change that adds nothing", () => {
    const model = toyModel((r) => 0.6 - (r.Contract === "Month-to-month" ? 0 : 0.3));
    const best = findNextBestAction({ record: customer, inputs, kinds, score: model.score });
    expect(best?.changes.map((c) => c.column)).toEqual(["Contract"]);
    for (const option of best!.alternatives) expect(option.changes).toHaveLength(1);
    expect(JSON.stringify(best)).not.toContain("parts");
  });

  it("tries price cuts on price columns and only allowed changes from the playbook", () => {
    const seen: Record<string, CellValue>[] = [];
    const best = findNextBestAction({
      record: customer,
      inputs,
      kinds,
      score: (records) => {
        seen.push(...records);
        return records.map((r) => Number(r.MonthlyCharges) / 200);
      },
    });
    // −20 % (cost 4) lowers risk 10 points: net 6; −10 % (cost 2) lowers it 5 points: net 3.
    expect(best?.changes).toEqual([expect.objectContaining({ column: "MonthlyCharges", from: 100, to: 80 })]);
    expect(best?.alternatives[0]?.changes).toEqual([expect.objectContaining({ to: 90 })]);
    const proposed = new Set(seen.flatMap((r) => Object.entries(r).map(([k, v]) => `${k}=${v}`)));
    // Never back to month-to-month, never to a check, never "No internet service".
    expect(proposed.has("PaymentMethod=Mailed check")).toBe(false);
    expect(proposed.has("TechSupport=No internet service")).toBe(false);
    expect(proposed.has("TechSupport=Yes")).toBe(true);
    expect(proposed.has("Contract=Two year")).toBe(true);
  });
});
