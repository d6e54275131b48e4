import { describe, expect, it } from "vitest";
import { DEFAULT_FORM, plannerInputsOf } from "./planner-form";

describe("planner form", () => {
  it("turns the typed fields into the procedure input", () => {
    expect(plannerInputsOf(7, DEFAULT_FORM)).toEqual({
      errors: null,
      inputs: {
        datasetId: 7,
        offerCost: 20,
        acceptanceRate: 0.3,
        value: { source: "monthly", months: 12 },
        budget: null,
        ranking: "risk",
        filters: [],
        contactCount: null,
      },
    });
    const custom = plannerInputsOf(7, {
      ...DEFAULT_FORM,
      offerCost: "12,5",
      valueSource: "flat",
      flatAmount: "300",
      budget: "1000",
      filterColumn: "Contract",
      filterValue: "Month-to-month",
      contactCount: "40",
    });
    expect(custom.inputs).toMatchObject({
      offerCost: 12.5,
      value: { source: "flat", amount: 300 },
      budget: 1000,
      filters: [{ column: "Contract", value: "Month-to-month" }],
      contactCount: 40,
    });
  });
  it("names each field a person has to fix", () => {
    const result = plannerInputsOf(7, {
      ...DEFAULT_FORM,
      offerCost: "abc",
      acceptancePercent: "0",
      months: "-1",
      budget: "0",
      contactCount: "2.5",
    });
    expect(result.inputs).toBeNull();
    expect(Object.keys(result.errors ?? {}).sort()).toEqual([
      "acceptancePercent",
      "budget",
      "contactCount",
      "months",
      "offerCost",
    ]);
  });
});
