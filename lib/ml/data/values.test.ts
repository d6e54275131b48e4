import { describe, expect, it } from "vitest";
import { cleanCell, detectDateFormat, isMissing, parseBoolean, parseDate, parseNumber } from "./values";

describe("missing values", () => {
  it.each(["", " ", "\t", "NA", "na", "N/A", "n/a", "#N/A", "null", "NULL", "NaN", "nan", "?", " NA "])(
    "%j is missing",
    (raw) => {
      expect(isMissing(raw)).toBe(true);
      expect(cleanCell(raw)).toBeNull();
    },
  );
  it.each(["0", "No", "None", "Nan Ying", "nav", "n", "-", "null value", "?!"])("%j is a value", (raw) => {
    expect(isMissing(raw)).toBe(false);
  });
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
    for (const bad of ["", " ", "0x10", "Infinity", "1,5", "12 abc", "$3"])
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
