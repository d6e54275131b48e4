import { describe, expect, it } from "vitest";
import { z } from "zod";
import { columnRecord, columnRecordOf, fieldOf, hasField, recordOfRow } from "./column-record";
import { columnRecordSchema } from "./validation/column-record";

const HOSTILE = ["__proto__", "constructor", "toString", "hasOwnProperty", "prototype", "valueOf"];

describe("column-keyed records", () => {
  it("store every column name as an own property and JSON-serialise it", () => {
    const record = recordOfRow(
      HOSTILE,
      HOSTILE.map((_, i) => i),
    );
    expect(Object.keys(record)).toEqual(HOSTILE);
    expect(fieldOf(record, "__proto__")).toBe(0);
    expect(JSON.parse(JSON.stringify(record))).toEqual(Object.fromEntries(HOSTILE.map((n, i) => [n, i])));
    expect(Object.keys(columnRecordOf([["__proto__", "a"]]))).toEqual(["__proto__"]);
  });

  it("never read an inherited member as a column's value", () => {
    const parsed = JSON.parse('{"__proto__": "a"}') as Record<string, unknown>;
    expect(fieldOf(parsed, "__proto__")).toBe("a");
    expect(fieldOf(parsed, "constructor")).toBeUndefined();
    expect(hasField(parsed, "toString")).toBe(false);
    expect(fieldOf(columnRecord<number>(), "valueOf")).toBeUndefined();
  });

  it("validate with zod without dropping __proto__ (z.record does)", () => {
    const schema = columnRecordSchema(z.enum(["actionable", "context"]));
    const input = JSON.parse('{"__proto__": "actionable", "constructor": "context"}');
    expect(Object.keys(z.record(z.string(), z.string()).parse(input))).toEqual(["constructor"]);
    expect(Object.keys(schema.parse(input))).toEqual(["__proto__", "constructor"]);
    const wrong = schema.safeParse({ __proto__: null, constructor: "sometimes" });
    expect(wrong.error?.issues[0].path).toEqual(["constructor"]);
    expect(schema.safeParse(["actionable"]).success).toBe(false);
    expect(schema.safeParse(new Map()).success).toBe(false);
  });
});
