import { describe, expect, it } from "vitest";
import { STEP_RESULT_MAX_BYTES, toEventData, toStepResult } from "./json";
import { NonRetriableError } from "./types";

describe("toStepResult", () => {
  it("returns a JSON copy equal to what JSON.parse(JSON.stringify(x)) gives for plain data", () => {
    const value = { a: 1, b: "two", c: [true, null, { d: 4.5 }], e: { f: [] } };
    const out = toStepResult(value, "s");
    expect(out).toEqual(JSON.parse(JSON.stringify(value)));
    expect(out).not.toBe(value);
  });

  it("converts like JSON does: NaN/Infinity → null, undefined properties dropped, undefined items → null", () => {
    expect(
      toStepResult(
        { auc: Number.NaN, up: Number.POSITIVE_INFINITY, gone: undefined, list: [undefined, 1] },
        "s",
      ),
    ).toEqual({ auc: null, up: null, list: [null, 1] });
    expect(toStepResult(undefined, "s")).toBeNull();
  });

  it.each([
    ["a Date", { at: new Date() }, /Date at result\.at.*toISOString/],
    ["a typed array", { x: [new Float64Array(2)] }, /Float64Array at result\.x\[0\].*Array\.from/],
    ["a Map", new Map(), /Map at result/],
    ["a Set", { s: new Set([1]) }, /Set at result\.s/],
    ["a bigint", { n: 1n }, /bigint at result\.n/],
    ["a function", { f: () => 1 }, /function at result\.f/],
    ["a class instance", { m: new (class Model {})() }, /Model at result\.m.*plain object/],
    ["a NUL character", { s: "a\u0000b" }, /NUL character/],
  ])("rejects %s with a message naming the path", (_, value, message) => {
    expect(() => toStepResult(value, "split")).toThrow(NonRetriableError);
    expect(() => toStepResult(value, "split")).toThrow(message);
    expect(() => toStepResult(value, "split")).toThrow(/step "split"/);
  });

  it("keeps keys named like Object's members (column names): __proto__, constructor, toString", () => {
    const value = JSON.parse(
      '{"importance": {"__proto__": {"auc": 0.7}, "constructor": 1, "toString": "x"}}',
    );
    const out = toStepResult(value, "s") as { importance: Record<string, unknown> };
    expect(Object.keys(out.importance)).toEqual(["__proto__", "constructor", "toString"]);
    expect(Object.getPrototypeOf(out.importance)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe(JSON.stringify(value));
  });

  it("rejects cycles but accepts the same object twice", () => {
    const shared = { x: 1 };
    expect(toStepResult({ a: shared, b: shared }, "s")).toEqual({ a: { x: 1 }, b: { x: 1 } });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => toStepResult(cyclic, "s")).toThrow(/circular reference at result\.self/);
  });

  it("rejects results over the Inngest step limit", () => {
    const big = { s: "x".repeat(STEP_RESULT_MAX_BYTES) };
    expect(() => toStepResult(big, "score")).toThrow(/over the 4 MB limit.*return its id/);
  });
});

describe("toEventData", () => {
  it("accepts a plain object and rejects anything else", () => {
    expect(toEventData({ runId: 3 }, "e")).toEqual({ runId: 3 });
    expect(() => toEventData([1] as unknown, "e")).toThrow(/plain object/);
    expect(() => toEventData({ when: new Date() }, "e")).toThrow(/Date at data\.when/);
  });
});
