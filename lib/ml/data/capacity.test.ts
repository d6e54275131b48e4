import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { MAX_MODEL_INPUTS } from "./capacity";
import { applyColumnOverrides, assertTrainable, profileDataset } from "./schema-inference";

/** `rows` customers, `numeric` random number columns, `categorical` columns of `levels` values, and Churn. */
function wideTable(rows: number, numeric: number, categorical = 0, levels = 60) {
  const rng = createRng(3);
  const columns = [
    ...Array.from({ length: numeric }, (_, j) => `n${j}`),
    ...Array.from({ length: categorical }, (_, j) => `c${j}`),
    "Churn",
  ];
  const data = Array.from({ length: rows }, (_, i) => [
    ...Array.from({ length: numeric }, () => (rng.next() * 100).toFixed(2)),
    ...Array.from({ length: categorical }, () => `v${rng.int(levels)}`),
    i % 3 === 0 ? "Yes" : "No",
  ]);
  return { columns, rows: data };
}

describe("columns per customer", () => {
  it("refuses more columns than two per labelled customer, saying how many to keep or how many customers to add", () => {
    const schema = profileDataset(wideTable(60, 40));
    expect(schema.problems).toEqual([
      {
        code: "TOO_MANY_FEATURES",
        message:
          '40 columns to learn from, but only 60 customers with a known "Churn": a model needs at least 2 customers per column, or it memorises them instead of learning what predicts churn. Keep at most 30 columns (exclude the others in the preview), or upload at least 80 customers.',
      },
    ]);
    expect(() => assertTrainable(schema)).toThrow(/40 columns to learn from, but only 60 customers/);

    // Excluding ten columns in the preview makes it trainable.
    const fewer = applyColumnOverrides(schema, {
      exclude: Array.from({ length: 10 }, (_, j) => `n${j}`),
      include: [],
    });
    expect(fewer.problems).toEqual([]);
    expect(() => assertTrainable(fewer)).not.toThrow();
  });

  it("refuses more model inputs than the limit, naming the columns with the most values", () => {
    const schema = profileDataset(wideTable(400, 0, 40, 60));
    expect(schema.columns.filter((c) => c.role === "feature")).toHaveLength(40);
    expect(schema.problems).toHaveLength(1);
    expect(schema.problems[0].code).toBe("TOO_MANY_FEATURES");
    expect(schema.problems[0].message).toMatch(
      new RegExp(
        `make 2,040 model inputs .*at most ${MAX_MODEL_INPUTS.toLocaleString("en-US")} can be trained on`,
      ),
    );
    expect(schema.problems[0].message).toContain('such as "c0" (60 values)');
    expect(profileDataset(wideTable(400, 0, 39, 60)).problems).toEqual([]);
  });

  it("rechecks a stored schema that predates the limits", () => {
    const schema = profileDataset(wideTable(60, 40));
    expect(() => assertTrainable({ ...schema, problems: [] })).toThrow(/at least 2 customers per column/);
  });
});
