/**
 * The stored schema of a dataset version: what the validator accepts (so a stored schema read
 * back is trusted) and refuses (so a corrupted or hand-edited one fails loudly), and the two
 * lookups every consumer uses.
 */
import { describe, expect, it } from "vitest";
import {
  type ColumnSchema,
  columnSchemaSchema,
  type DatasetSchema,
  datasetSchemaSchema,
  featureColumns,
  findColumn,
  schemaOverridesSchema,
} from "./dataset-schema";

function column(name: string, index: number, overrides: Partial<ColumnSchema> = {}): ColumnSchema {
  return {
    name,
    index,
    type: "categorical",
    role: "feature",
    exclusionReason: null,
    autoRole: "feature",
    autoExclusionReason: null,
    personalData: null,
    singleColumnAuc: null,
    decimalComma: false,
    dateFormat: null,
    trueValue: null,
    stats: { count: 10, missing: 0, distinct: 2, topValues: [{ value: "a", count: 6, positives: 2 }] },
    ...overrides,
  };
}

function schema(overrides: Partial<DatasetSchema> = {}): DatasetSchema {
  return {
    formatVersion: 1,
    rowCount: 10,
    target: "Churn",
    positiveLabel: "Yes",
    classCounts: { positive: 3, negative: 7, missing: 0 },
    identifier: "customerID",
    columns: [
      column("customerID", 0, {
        type: "text",
        role: "identifier",
        autoRole: "identifier",
        exclusionReason: "identifier",
        autoExclusionReason: "identifier",
      }),
      column("tenure", 1, {
        type: "numeric",
        stats: {
          count: 9,
          missing: 1,
          distinct: 9,
          missingPositives: 1,
          min: 0,
          max: 72,
          mean: 30.5,
          std: 20.1,
          median: 29,
          histogram: [{ lower: 0, upper: 72, count: 9, positives: 2 }],
          topValues: [],
        },
      }),
      column("Email", 2, {
        type: "text",
        role: "excluded",
        autoRole: "excluded",
        exclusionReason: "personal_data",
        autoExclusionReason: "personal_data",
        personalData: "email",
        stats: { count: 10, missing: 0, distinct: 10, topValues: [] },
      }),
      column("Contract", 3, { singleColumnAuc: 0.71 }),
      column("Churn", 4, { type: "boolean", role: "target", autoRole: "target", trueValue: "Yes" }),
      column("SignupDate", 5, {
        type: "date",
        dateFormat: "dmy",
        role: "feature",
        autoRole: "excluded",
        autoExclusionReason: "date",
      }),
    ],
    overrides: { exclude: [], include: ["SignupDate"] },
    warnings: ["Email looks like personal data and is not used"],
    problems: [],
    ...overrides,
  };
}

describe("datasetSchemaSchema", () => {
  it("accepts a complete schema and keeps it unchanged through JSON", () => {
    const stored = JSON.parse(JSON.stringify(schema()));
    expect(datasetSchemaSchema.parse(stored)).toEqual(schema());
  });

  it("accepts a dataset without a target yet, with the problem that blocks training", () => {
    const untargeted = schema({
      target: null,
      positiveLabel: null,
      classCounts: null,
      problems: [{ code: "NO_TARGET", message: "Choose the column that says whether a customer churned." }],
    });
    expect(datasetSchemaSchema.safeParse(untargeted).success).toBe(true);
  });

  it.each([
    ["a future format version", { formatVersion: 2 }],
    ["a negative row count", { rowCount: -1 }],
    ["a fractional row count", { rowCount: 1.5 }],
    ["an unknown problem code", { problems: [{ code: "TOO_SMALL", message: "x" }] }],
    ["overrides without their lists", { overrides: { identifier: null } }],
  ])("refuses %s", (_, change) => {
    expect(datasetSchemaSchema.safeParse({ ...schema(), ...change }).success).toBe(false);
  });

  it.each([
    ["an empty name", { name: "" }],
    ["an unknown type", { type: "money" }],
    ["an unknown role", { role: "label" }],
    ["an unknown exclusion reason", { exclusionReason: "boring" }],
    ["an unknown personal-data kind", { personalData: "passport" }],
    ["an unknown date format", { dateFormat: "ydm" }],
    ["a negative position", { index: -1 }],
    ["negative missing counts", { stats: { count: 1, missing: -1, distinct: 1, topValues: [] } }],
    [
      "top values without counts",
      { stats: { count: 1, missing: 0, distinct: 1, topValues: [{ value: "a" }] } },
    ],
  ])("refuses a column with %s", (_, change) => {
    expect(columnSchemaSchema.safeParse({ ...column("x", 0), ...change }).success).toBe(false);
    expect(
      datasetSchemaSchema.safeParse(schema({ columns: [{ ...column("x", 0), ...change }] as never })).success,
    ).toBe(false);
  });

  it("reads absent overrides' identifier as 'inferred' and null as 'none'", () => {
    expect(schemaOverridesSchema.parse({ exclude: [], include: [] }).identifier).toBeUndefined();
    expect(schemaOverridesSchema.parse({ identifier: null, exclude: [], include: [] }).identifier).toBeNull();
  });
});

describe("lookups", () => {
  it("lists the feature columns in file order, whatever inference had decided", () => {
    expect(featureColumns(schema()).map((c) => c.name)).toEqual(["tenure", "Contract", "SignupDate"]);
    const reordered = schema();
    reordered.columns.reverse();
    expect(featureColumns(reordered).map((c) => c.name)).toEqual(["SignupDate", "Contract", "tenure"]);
  });

  it("finds a column by its exact name only, and never by an object's built-in keys", () => {
    const s = schema();
    expect(findColumn(s, "Contract")?.index).toBe(3);
    expect(findColumn(s, "contract")).toBeUndefined();
    expect(findColumn(s, " Contract")).toBeUndefined();
    for (const name of ["__proto__", "constructor", "toString"]) expect(findColumn(s, name)).toBeUndefined();
    const odd = schema({ columns: [column("__proto__", 0)] });
    expect(findColumn(odd, "__proto__")?.name).toBe("__proto__");
  });
});
