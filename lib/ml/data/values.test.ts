import { describe, expect, it } from "vitest";
import {
  classKey,
  cleanCell,
  detectDateFormat,
  guessDateFormat,
  isMissing,
  isoDay,
  parseBoolean,
  parseDate,
  parseNumber,
} from "./values";

describe("missing values", () => {
  it.each(["", " ", "\t", "NA", "na", "N/A", "n/a", "#N/A", "null", "NULL", "NaN", "nan", "?", " NA "])(
    "%j is missing",
    (raw) => {
      expect(isMissing(raw)).toBe(true);
      expect(cleanCell(raw)).toBeNull();
    },
  );
  it.each(["0", "No", "None", "Nan Ying", "nav", "n", "-1", "null value", "?!", "#1", "(none yet)"])(
    "%j is a value",
    (raw) => {
      expect(isMissing(raw)).toBe(false);
    },
  );
  it("treats null and undefined as missing", () => {
    expect(isMissing(null)).toBe(true);
    expect(isMissing(undefined)).toBe(true);
  });
});

describe("numbers", () => {
  it("reads plain decimals and rejects everything else", () => {
    expect(parseNumber("29.85")).toBe(29.85);
    expect(parseNumber(" -3 ")).toBe(-3);
    expect(parseNumber("1e3")).toBe(1000);
    expect(parseNumber(".5")).toBe(0.5);
    for (const bad of ["", " ", "0x10", "Infinity", "1,5", "12 abc", "$", "%", "-", "1,23,4", "12-3"])
      expect(parseNumber(bad)).toBeNaN();
  });
  it("reads a decimal comma only when asked", () => {
    expect(parseNumber("29,85", true)).toBe(29.85);
    expect(parseNumber("29.85", true)).toBe(29.85);
    expect(parseNumber("1,2,3", true)).toBeNaN();
  });
});

describe("dates", () => {
  it("reads ISO dates and times as days since 1970", () => {
    expect(parseDate("1970-01-02", "ymd")).toBe(1);
    expect(parseDate("2020-02-29T12:00:00Z", "ymd")).toBe(18321.5);
    expect(parseDate("2021-02-29", "ymd")).toBeNaN();
  });
  it("converts a time with an offset to UTC, so one instant written in two zones is one value", () => {
    const day = (iso: string) => Date.parse(iso) / 86_400_000;
    // 23:00 in California on leap day is 07:00 UTC on 1 March.
    expect(parseDate("2020-02-29T23:00-08:00", "ymd")).toBe(day("2020-03-01T07:00:00Z"));
    expect(parseDate("2020-03-01T12:30:00+05:30", "ymd")).toBe(day("2020-03-01T07:00:00Z"));
    expect(parseDate("2020-03-01 07:00+0000", "ymd")).toBe(day("2020-03-01T07:00:00Z"));
    expect(parseDate("2020-03-01T07:00:00.250Z", "ymd")).toBe(day("2020-03-01T07:00:00Z"));
    // Without an offset the wall-clock time is read as UTC, whatever the server's zone is.
    expect(parseDate("2020-03-01T07:00", "ymd")).toBe(day("2020-03-01T07:00:00Z"));
    expect(parseDate("2020-03-01T07:00+15:00", "ymd")).toBeNaN();
    expect(parseDate("2020-03-01T07:00+01:60", "ymd")).toBeNaN();
  });
  it("tells day-first from month-first", () => {
    expect(detectDateFormat(["31/12/2020", "01/02/2021"])).toBe("dmy");
    expect(detectDateFormat(["12/31/2020", "01/02/2021"])).toBe("mdy");
    expect(detectDateFormat(["01.02.2021", "03.04.2021"])).toBe("dmy");
    expect(detectDateFormat(["2020-01-01", "2021-12-31 10:30"])).toBe("ymd");
    expect(detectDateFormat(["2020-01-01", "hello"])).toBeNull();
    expect(detectDateFormat(["13/14/2020"])).toBeNull();
    expect(parseDate("31/12/2020", "dmy")).toBe(parseDate("2020-12-31", "ymd"));
    expect(parseDate("12/31/2020", "mdy")).toBe(parseDate("2020-12-31", "ymd"));
  });
});

describe("booleans", () => {
  it("reads yes/no words and 1/0", () => {
    expect(["Yes", "TRUE", "y", "1", "1.0", "t"].map(parseBoolean)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(["No", "false", "N", "0", "0.0", "F"].map(parseBoolean)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(parseBoolean("maybe")).toBeNull();
    expect(parseBoolean("2")).toBeNull();
  });
});

describe("quirks of real exports: missing values", () => {
  it.each([
    "-",
    "--",
    "\u2014",
    "\u2013",
    "<NA>",
    "#NA",
    "N.A.",
    "(null)",
    "(blank)",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    " - ",
  ])("%j is missing", (raw) => {
    expect(isMissing(raw)).toBe(true);
  });
});

describe("quirks of real exports: decorated numbers", () => {
  it.each([
    ["1,234", false, 1234],
    ["1,234,567.89", false, 1234567.89],
    ["$1,200.50", false, 1200.5],
    ["-$5", false, -5],
    ["$-5", false, -5],
    ["(42.00)", false, -42],
    ["\u2212" + "12", false, -12],
    ["12.5%", false, 12.5],
    ["-3 %", false, -3],
    ["\u20ac 12,50", true, 12.5],
    ["12,50 \u20ac", true, 12.5],
    ["1.234,50", true, 1234.5],
    ["1.234.567", true, 1234567],
    ["1 234 567", false, 1234567],
    ["1\u00a0234,5", true, 1234.5],
    ["1'234.50", false, 1234.5],
    ["USD 40", false, 40],
    ["\u00a3 7", false, 7],
  ] as const)("%j (decimal comma %s) reads %d", (raw, comma, value) => {
    expect(parseNumber(raw, comma)).toBeCloseTo(value, 10);
  });
  it("keeps a stored number's text reading as itself in a decimal-comma column", () => {
    // loadDatasetVersionRows prints stored numbers with String(); "123.456" must stay 123.456.
    for (const n of [123.456, 1.5, 1234.5, -0.001]) expect(parseNumber(String(n), true)).toBe(n);
  });
  it("reads 1,234 by the column's convention and refuses a comma in a dot column otherwise", () => {
    expect(parseNumber("1,234", true)).toBe(1.234);
    expect(parseNumber("1,5", false)).toBeNaN();
    expect(parseNumber("1 234,5", false)).toBeNaN();
  });
});

describe("quirks of real exports: dates", () => {
  const iso = (s: string) => parseDate(s, "ymd");
  it("reads month names, two-digit years and 12-hour times", () => {
    expect(parseDate("5 Mar 2024", "ymd")).toBe(iso("2024-03-05"));
    expect(parseDate("05-Mar-24", "mdy")).toBe(iso("2024-03-05"));
    expect(parseDate("March 5, 2024", "dmy")).toBe(iso("2024-03-05"));
    expect(parseDate("Sept 30 2023", "dmy")).toBe(iso("2023-09-30"));
    expect(parseDate("3/5/24", "mdy")).toBe(iso("2024-03-05"));
    expect(parseDate("3/5/99", "mdy")).toBe(iso("1999-03-05"));
    expect(parseDate("3/5/2024 2:30 PM", "mdy")).toBe(iso("2024-03-05 14:30"));
    expect(parseDate("3/5/2024 12:30 AM", "mdy")).toBe(iso("2024-03-05 00:30"));
    expect(parseDate("31 Foo 2024", "dmy")).toBeNaN();
  });
  it("reads ISO dates mixed into a day-first column", () => {
    expect(detectDateFormat(["31/12/2020", "2021-01-05", "5 Jan 2021"])).toBe("dmy");
    expect(parseDate("2021-01-05", "dmy")).toBe(iso("2021-01-05"));
  });
  it("says when the day/month order was guessed, and takes the file's other columns as a hint", () => {
    expect(guessDateFormat(["04/05/2024", "01/02/2024"])).toEqual({ format: "mdy", ambiguous: true });
    expect(guessDateFormat(["04/05/2024", "01/02/2024"], "dmy")).toEqual({ format: "dmy", ambiguous: true });
    expect(guessDateFormat(["13/05/2024", "01/02/2024"], "mdy")).toEqual({ format: "dmy", ambiguous: false });
    expect(isoDay(iso("2024-03-05"))).toBe("2024-03-05");
  });
});

describe("quirks of real exports: target classes", () => {
  it("puts every spelling of yes/no, and words differing in case, in one class", () => {
    expect(new Set(["TRUE", "True", "true ", "yes", "Y", "1", "1.0"].map(classKey)).size).toBe(1);
    expect(new Set(["FALSE", "False", "no", "n", "0", "0.0"].map(classKey)).size).toBe(1);
    expect(classKey("Attrited  Customer")).toBe(classKey("attrited customer"));
    expect(classKey("Existing Customer")).not.toBe(classKey("Attrited Customer"));
  });
});
