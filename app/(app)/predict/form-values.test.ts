import { describe, expect, it } from "vitest";
import { waterfallSteps } from "@/components/predictions/waterfall-chart";
import type { PredictFormInput } from "@/server/services/retention";
import { customerOf, fieldText, initialValues, rangeWarning, withValue } from "./form-values";

const inputs: PredictFormInput[] = [
  {
    name: "tenure",
    type: "numeric",
    kind: "numeric",
    min: 0,
    max: 72,
    median: 29,
    isInteger: true,
    defaultValue: 29,
    actionKind: "context",
  },
  {
    name: "Contract",
    type: "categorical",
    kind: "categorical",
    categories: ["Month-to-month", "Two year"],
    defaultValue: "Month-to-month",
    actionKind: "actionable",
  },
  {
    name: "MonthlyCharges",
    type: "numeric",
    kind: "numeric",
    min: 18.25,
    max: 118.75,
    defaultValue: 70.35,
    actionKind: "actionable",
  },
];

describe("what-if form values", () => {
  it("sends numbers as numbers and leaves empty fields out, so the model imputes them", () => {
    const values = {
      ...initialValues([
        ["tenure", 29],
        ["Contract", "Month-to-month"],
        ["MonthlyCharges", 70.35],
      ]),
      MonthlyCharges: " ",
    };
    expect(customerOf(inputs, values)).toEqual([
      ["tenure", 29],
      ["Contract", "Month-to-month"],
    ]);
  });

  it("keeps columns named like Object's own members (__proto__, constructor, toString)", () => {
    const hostile: PredictFormInput[] = ["__proto__", "constructor", "toString"].map((name) => ({
      name,
      type: "categorical",
      kind: "categorical",
      categories: ["a", "b"],
      defaultValue: "a",
      actionKind: "context",
    }));
    let values = initialValues([
      ["__proto__", "a"],
      ["constructor", "b"],
    ]);
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(fieldText(values, "toString")).toBe("");
    values = withValue(values, "__proto__", "b");
    expect(fieldText(values, "__proto__")).toBe("b");
    expect(customerOf(hostile, values)).toEqual([
      ["__proto__", "b"],
      ["constructor", "b"],
    ]);
  });

  it("warns outside the training range but never for values inside it", () => {
    expect(rangeWarning(inputs[0], "500")).toBe("Above the training range (0–72): the model extrapolates");
    expect(rangeWarning(inputs[2], "10")).toBe(
      "Below the training range (18.25–118.75): the model extrapolates",
    );
    expect(rangeWarning(inputs[0], "72")).toBeNull();
    expect(rangeWarning(inputs[1], "anything")).toBeNull();
  });
});

describe("waterfall steps", () => {
  it("walks from the base rate through the top drivers and 'Other' to the customer's risk", () => {
    const contributions = [
      { column: "Contract", value: "Month-to-month", probability: 0.12 },
      { column: "tenure", value: 2, probability: 0.07 },
      { column: "gender", value: "Male", probability: -0.01 },
      { column: "Partner", value: "No", probability: 0.004 },
    ];
    const risk = 0.15 + 0.12 + 0.07 - 0.01 + 0.004;
    const steps = waterfallSteps(0.15, contributions, risk, 2);
    expect(steps.map((s) => s.label)).toEqual([
      "Base rate",
      "Contract = Month-to-month",
      "tenure = 2",
      "Other (2 columns)",
      "This customer",
    ]);
    const other = steps[3];
    expect(other.delta).toBeCloseTo(-0.006, 12);
    // Each bar starts where the previous one ended; the last step lands on the risk.
    const endOf = (s: (typeof steps)[number]) => (s.delta < 0 ? s.offset : s.offset + s.size);
    const startOf = (s: (typeof steps)[number]) => (s.delta < 0 ? s.offset + s.size : s.offset);
    for (let k = 2; k <= 3; k++) expect(startOf(steps[k])).toBeCloseTo(endOf(steps[k - 1]), 12);
    expect(endOf(other)).toBeCloseTo(risk, 12);
    expect(steps[4].size).toBeCloseTo(risk, 12);
    expect(steps[1]).toMatchObject({ offset: 0.15, kind: "up" });
    expect(other.kind).toBe("down");
  });
});
