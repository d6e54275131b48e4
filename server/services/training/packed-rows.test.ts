import { describe, expect, it } from "vitest";
import { buildTrainingSet, inferSchema } from "@/lib/ml/data";
import { syntheticChurnTable } from "@/lib/ml/evaluate/synthetic-churn-table";
import type { ComputeTable } from "./compute";
import { packTable, unpackTable } from "./packed-rows";

const synthetic = syntheticChurnTable(20_000, 4);
const table: ComputeTable = {
  schema: inferSchema({ columns: synthetic.columns, rows: synthetic.rows }),
  columns: synthetic.columns,
  rows: synthetic.rows,
};

describe("packed training tables", () => {
  it("reads back every row, with empty cells, through index, length, in, forEach, slice and for-of", () => {
    const rows = [
      ["a", "", "c"],
      ["", "", ""],
      ["x,y", 'q"t', "é ✓"],
    ];
    const small: ComputeTable = { schema: table.schema, columns: ["p", "q", "r"], rows };
    const lazy = unpackTable(
      structuredClone(packTable(small) as NonNullable<ReturnType<typeof packTable>>),
    ).rows;
    expect(lazy.length).toBe(3);
    expect(lazy[1]).toEqual(["", "", ""]);
    expect(2 in lazy).toBe(true);
    expect(3 in lazy).toBe(false);
    expect(lazy[3]).toBeUndefined();
    const seen: (readonly string[])[] = [];
    lazy.forEach((row) => {
      seen.push(row);
    });
    expect(seen).toEqual(rows);
    expect(lazy.slice(1, 3)).toEqual(rows.slice(1, 3));
    expect([...lazy]).toEqual(rows);
  });

  it("sends a table whose cells hold the separator as it is", () => {
    const odd: ComputeTable = { schema: table.schema, columns: ["p", "q"], rows: [["a\u001fb", "c"]] };
    expect(packTable(odd)).toBeNull();
  });

  it("builds the same training set from packed rows as from the rows themselves", () => {
    const lazy = unpackTable(packTable(table) as NonNullable<ReturnType<typeof packTable>>);
    const a = buildTrainingSet({ columns: table.columns, rows: table.rows }, table.schema);
    const b = buildTrainingSet({ columns: lazy.columns, rows: lazy.rows }, lazy.schema);
    expect(b.labels).toEqual(a.labels);
    expect(b.frame).toEqual(a.frame);
  });
});
