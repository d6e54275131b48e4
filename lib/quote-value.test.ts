import { describe, expect, it } from "vitest";
import { quoteValue, truncateText } from "./quote-value";

describe("quoting values in messages", () => {
  it("cuts long text to 100 characters with an ellipsis, never splitting a surrogate pair", () => {
    expect(truncateText("short")).toBe("short");
    expect(truncateText("x".repeat(101))).toBe(`${"x".repeat(100)}…`);
    expect(truncateText(`${"x".repeat(98)}😀`)).toBe(`${"x".repeat(98)}😀`);
    expect(truncateText(`${"x".repeat(99)}😀`)).toBe(`${"x".repeat(99)}…`);
  });

  it("quotes strings and writes anything else as JSON, cut the same way", () => {
    expect(quoteValue("abc")).toBe('"abc"');
    expect(quoteValue(12)).toBe("12");
    expect(quoteValue({ months: 3 })).toBe('{"months":3}');
    expect(quoteValue(Array.from({ length: 1000 }, () => 1)).length).toBe(101);
    expect(quoteValue(undefined)).toBe("undefined");
  });
});
