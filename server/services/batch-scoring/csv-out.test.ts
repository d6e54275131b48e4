import { describe, expect, it } from "vitest";
import {
  contentDisposition,
  csvCell,
  csvLine,
  driversText,
  formatPoints,
  scoredCsvFileName,
} from "./csv-out";

describe("scored CSV cells", () => {
  it("quotes delimiters, quotes and line breaks, and keeps plain values as they are", () => {
    expect(csvCell("Month-to-month")).toBe("Month-to-month");
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(" padded")).toBe('" padded"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(0.1234)).toBe("0.1234");
    expect(csvLine(["a", "b,c", null])).toBe('a,"b,c",\r\n');
  });

  it("defuses cells a spreadsheet would run as formulas, but not plain numbers", () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell("+1+2")).toBe("'+1+2");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("-3.5")).toBe("-3.5");
    expect(csvCell("+12")).toBe("+12");
    expect(csvCell("-1e3")).toBe("-1e3");
  });

  it("writes drivers as column=value with signed probability points", () => {
    expect(formatPoints(0.1834)).toBe("+18 pts");
    expect(formatPoints(-0.0912)).toBe("-9.1 pts");
    expect(formatPoints(0.00001)).toBe("±0 pts");
    expect(
      driversText([
        { column: "Contract", value: "Month-to-month", contribution: 0.18 },
        { column: "tenure", value: 2, contribution: 0.091 },
        { column: "TotalCharges", value: null, contribution: -0.02 },
      ]),
    ).toBe("Contract=Month-to-month (+18 pts); tenure=2 (+9.1 pts); TotalCharges=(missing) (-2 pts)");
  });

  it("names the download after the upload, safely", () => {
    expect(scoredCsvFileName("customers.csv")).toEqual({
      ascii: "customers-scored.csv",
      utf8: "customers-scored.csv",
    });
    expect(scoredCsvFileName('../évil "name".CSV').ascii).toBe("evil-name-scored.csv");
    expect(scoredCsvFileName(".csv").ascii).toBe("batch-scored.csv");
    const header = contentDisposition("Kündigungen März.csv");
    expect(header).toBe(
      "attachment; filename=\"Kundigungen-Marz-scored.csv\"; filename*=UTF-8''K%C3%BCndigungen%20M%C3%A4rz-scored.csv",
    );
    expect(contentDisposition('a";\r\nX-Injected: 1.csv')).not.toMatch(/[\r\n]|";\s*X/);
  });
});
