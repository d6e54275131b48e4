import { describe, expect, it } from "vitest";
import { DatasetError } from "./errors";
import { buildFrame, buildTrainingSet, createFrameBuilder, getColumn, selectRows } from "./frame";
import { inferSchema } from "./schema-inference";
import { makeSignalTable } from "./test-factories";

const data: { columns: string[]; rows: string[][] } = {
  columns: ["id", "amount", "plan", "joined", "active", "churn"],
  rows: Array.from({ length: 60 }, (_, i) => [
    `c${i}`,
    [" 12.5 ", "", "NA", "N/A", "null", "NaN", "?", "  "][i % 8] ?? "",
    ["basic", "pro", "", " basic "][i % 4],
    `2020-01-${String((i % 28) + 1).padStart(2, "0")}`,
    i % 2 ? "Yes" : "No",
    i % 3 === 0 ? "Yes" : i === 1 ? "" : "No",
  ]),
};
// amount must be numeric: give most rows a number.
data.rows.forEach((row, i) => {
  if (i % 8 !== 0 && i % 8 !== 1 && i >= 16) row[1] = String(i);
});
const schema = inferSchema(data, { include: ["joined"] });

describe("buildFrame", () => {
  const frame = buildFrame(data, schema);

  it("stores numeric columns as Float64Array with NaN for every missing token", () => {
    const amount = getColumn(frame, "amount");
    if (amount.kind !== "numeric") throw new Error("amount should be numeric");
    expect(amount.values).toBeInstanceOf(Float64Array);
    expect(Array.from(amount.values.slice(0, 8))).toEqual([12.5, NaN, NaN, NaN, NaN, NaN, NaN, NaN]);
  });

  it("stores categories as Int32Array codes into trimmed levels, -1 for missing", () => {
    const plan = getColumn(frame, "plan");
    if (plan.kind !== "categorical") throw new Error("plan should be categorical");
    expect(plan.codes).toBeInstanceOf(Int32Array);
    expect(plan.levels).toEqual(["basic", "pro"]);
    expect(Array.from(plan.codes.slice(0, 4))).toEqual([0, 1, -1, 0]);
  });

  it("reads dates as days since 1970 and booleans as categories", () => {
    const joined = getColumn(frame, "joined");
    expect(joined.kind).toBe("numeric");
    if (joined.kind === "numeric") expect(joined.values[0]).toBe(Date.UTC(2020, 0, 1) / 86_400_000);
    expect(getColumn(frame, "active").kind).toBe("categorical");
  });

  it("selects rows and columns", () => {
    const some = buildFrame(data, schema, { columns: ["plan", "amount"] });
    expect(some.columns.map((c) => c.name)).toEqual(["plan", "amount"]);
    const picked = selectRows(some, [3, 0]);
    expect(picked.rowCount).toBe(2);
    const plan = getColumn(picked, "plan");
    if (plan.kind === "categorical") expect(Array.from(plan.codes)).toEqual([0, 0]);
  });

  it("names a missing column", () => {
    expect(() => getColumn(frame, "nope")).toThrow(DatasetError);
    expect(() => buildFrame({ columns: ["id"], rows: [["1"]] }, schema)).toThrow(
      /The data has no column "amount" of the schema/,
    );
  });
});

describe("createFrameBuilder", () => {
  it("builds the same frame batch by batch as in one go", () => {
    const table = makeSignalTable(3000);
    const s = inferSchema(table);
    const whole = buildFrame(table, s);
    const builder = createFrameBuilder(table.columns, s);
    for (let i = 0; i < table.rows.length; i += 777) builder.append(table.rows.slice(i, i + 777));
    expect(builder.finish()).toEqual(whole);
  });
});

describe("buildTrainingSet", () => {
  it("keeps feature columns and labelled rows only, with 0/1 labels", () => {
    const set = buildTrainingSet(data, schema);
    expect(set.frame.columns.map((c) => c.name)).toEqual(["amount", "plan", "joined", "active"]);
    expect(set.frame.rowCount).toBe(59);
    expect(set.labels.length).toBe(59);
    expect(Array.from(set.sourceRows.slice(0, 3))).toEqual([0, 2, 3]);
    expect(Array.from(set.labels.slice(0, 3))).toEqual([1, 0, 1]);
  });
});
