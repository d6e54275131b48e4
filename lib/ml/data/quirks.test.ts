/**
 * The quirk corpus: files as real exports write them (Excel, report tools, two exports pasted
 * together), each read correctly or refused with a message naming the line and column. Every file
 * is built here from one base churn table, so each test changes exactly one thing.
 */
import { describe, expect, it } from "vitest";
import { FeaturePipeline } from "../features/pipeline";
import { type ParsedCsv, parseCsv, readCsvBatches } from "./csv";
import type { DatasetSchema } from "./dataset-schema";
import { DatasetError } from "./errors";
import { buildTrainingSet, type CategoricalColumn, getColumn, type NumericColumn } from "./frame";
import { labelOf, profileDataset, recencyNote, withReferenceDate } from "./schema-inference";
import { parseDate } from "./values";

const N = 120;
const CONTRACTS = ["Month-to-month", "One year", "Two year"];
const HEADER = ["customerID", "tenure", "MonthlyCharges", "Contract", "Partner", "Churn"];

/** The base table: churn on every 4th row, so both classes have 30+ rows. */
function baseRows(): string[][] {
  return Array.from({ length: N }, (_, i) => [
    `C${i + 1}`,
    String((i * 7) % 72),
    (20 + ((i * 13) % 100) + 0.35).toFixed(2),
    CONTRACTS[i % 3],
    i % 2 ? "Yes" : "No",
    i % 4 === 0 ? "Yes" : "No",
  ]);
}

function quote(v: string, delimiter: string): string {
  return v.includes(delimiter) || v.includes('"') || v.includes("\n") || v.includes("\r")
    ? `"${v.replaceAll('"', '""')}"`
    : v;
}

/** CSV lines (no line endings) of a header and rows. */
function lines(header: readonly string[], rows: readonly (readonly string[])[], delimiter = ","): string[] {
  return [header, ...rows].map((r) => r.map((v) => quote(v, delimiter)).join(delimiter));
}

function file(header: readonly string[], rows: readonly (readonly string[])[], delimiter = ",", eol = "\n") {
  return lines(header, rows, delimiter).join(eol) + eol;
}

/** The base table with column `name` rewritten by `cell`. */
function withColumn(name: string, cell: (i: number, value: string) => string, rows = baseRows()): string[][] {
  const j = HEADER.indexOf(name);
  return rows.map((row, i) => row.map((v, k) => (k === j ? cell(i, v) : v)));
}

function refusal(text: string | Uint8Array): DatasetError {
  try {
    parseCsv(text);
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error("expected the file to be refused");
}

async function readStreamed(text: string, chunkSize: number): Promise<ParsedCsv> {
  const bytes = new TextEncoder().encode(text);
  async function* chunks() {
    for (let o = 0; o < bytes.length; o += chunkSize) yield bytes.subarray(o, o + chunkSize);
  }
  const rows: string[][] = [];
  const batches = readCsvBatches(chunks(), { batchSize: 17 });
  for (;;) {
    const next = await batches.next();
    if (next.done) {
      const s = next.value;
      return {
        columns: s.columns,
        rows,
        delimiter: s.delimiter,
        skippedBlankRows: s.skippedBlankRows,
        notes: s.notes,
      };
    }
    rows.push(...next.value.rows);
  }
}

function profile(text: string | Uint8Array): { csv: ParsedCsv; schema: DatasetSchema } {
  const csv = parseCsv(text);
  return { csv, schema: profileDataset(csv) };
}

function col(schema: DatasetSchema, name: string) {
  const c = schema.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}; columns: ${schema.columns.map((x) => x.name).join(", ")}`);
  return c;
}

const BASE = profile(file(HEADER, baseRows())).schema;

describe("quirk corpus: line endings, delimiters, encodings", () => {
  it("1. mixed CRLF, LF and CR in one file (two exports pasted together) read line by line", async () => {
    const all = lines(HEADER, baseRows());
    // Header and first 40 rows CRLF, then LF, the last 20 CR-only.
    const text =
      all.slice(0, 41).join("\r\n") +
      "\r\n" +
      all.slice(41, 101).join("\n") +
      "\n" +
      all.slice(101).join("\r") +
      "\r";
    const csv = parseCsv(text);
    expect(csv.columns).toEqual(HEADER);
    expect(csv.rows).toEqual(baseRows());
    for (const size of [1, 2, 5, 64]) expect((await readStreamed(text, size)).rows).toEqual(baseRows());
    expect(profileDataset(csv).classCounts).toEqual(BASE.classCounts);
  });

  it("1b. a ragged line after mixed endings and a quoted CRLF names its physical line", () => {
    const text = 'a,b\r\n1,"two\r\nlines"\n3,4\r5,6,7\n';
    const error = refusal(text);
    expect(error.code).toBe("RAGGED_ROW");
    expect(error.line).toBe(5);
    expect(error.message).toMatch(/^Line 5 has 3 fields, expected 2\./);
  });

  it("2. Excel's sep=; first line names the delimiter and is skipped", () => {
    const text = `sep=;\r\n${file(
      HEADER,
      withColumn("MonthlyCharges", (_, v) => v.replace(".", ",")),
      ";",
      "\r\n",
    )}`;
    const { csv, schema } = profile(text);
    expect(csv.delimiter).toBe(";");
    expect(csv.columns).toEqual(HEADER);
    expect(csv.rows.length).toBe(N);
    expect(csv.notes[0]).toMatch(/^Line 1 \("sep=;", written by Excel\) names the delimiter/);
    expect(col(schema, "MonthlyCharges")).toMatchObject({ type: "numeric", decimalComma: true });
    expect(col(schema, "MonthlyCharges").stats.max).toBe(BASE.columns[2].stats.max);
  });

  it("2b. a sep= line declaring an unsupported delimiter is refused with line 1", () => {
    const error = refusal("sep=#\na#b\n1#2\n");
    expect(error.code).toBe("MALFORMED_CSV");
    expect(error.line).toBe(1);
    expect(error.message).toMatch(/declares "#" as the delimiter/);
  });

  it.each([
    [";", "semicolon"],
    ["\t", "tab"],
    ["|", "vertical bar"],
  ])("3. %j-delimited files (%s)", (delimiter) => {
    const csv = parseCsv(file(HEADER, baseRows(), delimiter));
    expect(csv.delimiter).toBe(delimiter);
    expect(csv.rows).toEqual(baseRows());
  });

  it("4. a UTF-8 byte order mark is not part of the first column's name", () => {
    const { csv, schema } = profile(`\ufeff${file(HEADER, baseRows(), ",", "\r\n")}`);
    expect(csv.columns[0]).toBe("customerID");
    expect(schema.identifier).toBe("customerID");
  });

  it.each([
    ["utf-16le", [0xff, 0xfe]],
    ["utf-16be", [0xfe, 0xff]],
  ] as const)(
    "5. %s with a byte order mark (Excel's 'Unicode text', tab-separated) is read, streamed at any chunk size",
    async (encoding, bom) => {
      const text = file(
        [...HEADER, "Ville"],
        baseRows().map((r, i) => [...r, i % 2 ? "Zürich" : "Łódź 🚀"]),
        "\t",
        "\r\n",
      );
      const le = Buffer.from(text, "utf16le");
      if (encoding === "utf-16be") le.swap16();
      const bytes = new Uint8Array([...bom, ...le]);
      const csv = parseCsv(bytes);
      expect(csv.columns).toEqual([...HEADER, "Ville"]);
      expect(csv.rows[0][6]).toBe("Łódź 🚀");
      expect(csv.rows[1][6]).toBe("Zürich");
      expect(csv.notes).toContain('The file is UTF-16 text (Excel\'s "Unicode text"); it was read as such.');
      for (const size of [1, 3, 4096]) {
        const rows: string[][] = [];
        async function* chunks() {
          for (let o = 0; o < bytes.length; o += size) yield bytes.subarray(o, o + size);
        }
        const batches = readCsvBatches(chunks(), { batchSize: 50 });
        for (;;) {
          const next = await batches.next();
          if (next.done) {
            expect(next.value.notes).toContain(
              'The file is UTF-16 text (Excel\'s "Unicode text"); it was read as such.',
            );
            break;
          }
          rows.push(...next.value.rows);
        }
        expect(rows).toEqual(csv.rows);
      }
    },
  );

  it("5b. UTF-16 without a byte order mark is refused with what to do (it cannot be told apart safely)", () => {
    const error = refusal(new Uint8Array(Buffer.from(file(HEADER, baseRows().slice(0, 3)), "utf16le")));
    expect(error.code).toBe("UNSUPPORTED_ENCODING");
    expect(error.message).toMatch(/UTF-16 text\. Save it as "CSV UTF-8"/);
  });

  it("6. Latin-1 / Windows-1252 bytes are refused with the line and byte (decided: a guessed encoding corrupts names)", () => {
    const head = new TextEncoder().encode("customerID,city,Churn\nC1,Z");
    const bytes = new Uint8Array([...head, 0xfc, ...new TextEncoder().encode("rich,Yes\n")]);
    const error = refusal(bytes);
    expect(error.code).toBe("INVALID_UTF8");
    expect(error.line).toBe(2);
    expect(error.byteOffset).toBe(head.length);
  });

  it("7. quoted values with newlines (LF and CRLF) and delimiters stay one value", () => {
    const rows = withColumn("Contract", (i, v) =>
      i === 3 ? "Two year,\r\nsigned in store" : i === 5 ? "One\nyear" : v,
    );
    const csv = parseCsv(file(HEADER, rows));
    expect(csv.rows.length).toBe(N);
    expect(csv.rows[3][3]).toBe("Two year,\r\nsigned in store");
    expect(csv.rows[5][3]).toBe("One\nyear");
  });
});

describe("quirk corpus: headers and layout", () => {
  it("8. trailing spaces in header names and values are trimmed", () => {
    const header = HEADER.map((h) => ` ${h}  `);
    const rows = baseRows().map((r) => r.map((v) => `${v} `));
    const { schema, csv } = profile(file(header, rows));
    expect(csv.columns).toEqual(HEADER);
    expect(schema.target).toBe("Churn");
    expect(schema.classCounts).toEqual(BASE.classCounts);
    expect(col(schema, "tenure").type).toBe("numeric");
    expect(
      col(schema, "Contract")
        .stats.topValues.map((v) => v.value)
        .sort(),
    ).toEqual(CONTRACTS);
  });

  it("9. a repeated header name is kept as a second column, renamed and said", () => {
    const header = [...HEADER, "tenure"];
    const rows = baseRows().map((r) => [...r, "1"]);
    const { csv, schema } = profile(file(header, rows));
    expect(csv.columns).toEqual([...HEADER, "tenure (2)"]);
    expect(csv.notes).toContain(
      'The column name "tenure" appears twice in the header (columns 2 and 7); column 7 is read as "tenure (2)".',
    );
    expect(schema.warnings[0]).toBe(csv.notes[0]);
    expect(col(schema, "tenure").stats.max).toBe(BASE.columns[1].stats.max);
  });

  it("9b. hostile: __proto__ twice, and names differing only in case", () => {
    const csv = parseCsv("__proto__,__proto__,Churn,churn\n1,2,Yes,x\n");
    expect(csv.columns).toEqual(["__proto__", "__proto__ (2)", "Churn", "churn (2)"]);
    expect(csv.rows[0]).toEqual(["1", "2", "Yes", "x"]);
  });

  it("10. empty trailing columns (nameless, blank) are dropped, also where rows omit or add empty fields", () => {
    const all = lines(
      [...HEADER, "", ""],
      baseRows().map((r) => [...r, "", ""]),
    );
    // Some rows end early (no trailing commas), some carry more empty fields than the header.
    const text = all.map((l, i) => (i % 3 === 1 ? l.slice(0, -2) : i % 3 === 2 ? `${l},,` : l)).join("\n");
    const csv = parseCsv(text);
    expect(csv.columns).toEqual(HEADER);
    expect(csv.rows).toEqual(baseRows());
    expect(csv.notes).toContain("Columns 7, 8 have no name in the header and no values; they were left out.");
  });

  it("10b. a value under a nameless header is refused with its line and column", () => {
    const error = refusal("id,,Churn\n1,,Yes\n2,,No\n3,oops,No\n");
    expect(error.code).toBe("EMPTY_COLUMN_NAME");
    expect(error.line).toBe(4);
    expect(error.column).toBe(2);
    expect(error.message).toBe(
      'Column 2 has no name in the header (line 1), but line 4 has a value in it ("oops"). Name the column in the header or delete it.',
    );
  });

  it("11. a totals line at the end of a report is refused with its line", () => {
    const text = `${file(HEADER, baseRows())}\nTotal,,"4,321.50",,,\n\n`;
    const error = refusal(text);
    expect(error.code).toBe("TOTALS_ROW");
    expect(error.line).toBe(N + 3);
    expect(error.message).toBe(
      `Line ${N + 3} looks like a totals line ("Total" in column "customerID"), not a customer. Delete that line (and any other summary lines) and upload the file again.`,
    );
  });

  it("11b. 'Total' as an ordinary category on many rows is data, not a totals line", () => {
    const header = ["Segment", ...HEADER.slice(1)];
    const rows = baseRows().map((r, i) => [i % 2 ? "Total" : "Partial", ...r.slice(1)]);
    expect(parseCsv(file(header, rows)).rows.length).toBe(N);
  });

  it("12. a line written twice (same id, same values) keeps the id as the identifier and is reported", () => {
    const rows = baseRows();
    rows.splice(10, 0, [...rows[9]]);
    rows.push([...rows[50]]);
    const { schema } = profile(file(HEADER, rows));
    expect(schema.identifier).toBe("customerID");
    expect(schema.warnings).toContain(
      '2 row(s) repeat an earlier row exactly (same "customerID" and the same values), such as data row 11; each customer is imported once.',
    );
  });

  it("12b. an id repeated with different values is not an identifier", () => {
    const rows = baseRows();
    rows[11] = [rows[10][0], ...rows[11].slice(1)];
    expect(profile(file(HEADER, rows)).schema.identifier).toBeNull();
  });
});

describe("quirk corpus: values", () => {
  it("13. thousands separators in quotes, currency signs and accounting negatives read as numbers", () => {
    const rows = withColumn("MonthlyCharges", (i, v) => {
      const n = Number(v) * 100;
      const text = n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      return i === 7 ? `($${text})` : `$${text}`;
    });
    const { csv, schema } = profile(file(HEADER, rows));
    const c = col(schema, "MonthlyCharges");
    expect(c.type).toBe("numeric");
    expect(c.decimalComma).toBe(false);
    expect(c.stats.missing).toBe(0);
    expect(schema.warnings).toContain(
      'Column "MonthlyCharges" is read as numbers: currency signs, thousands separators and parentheses around negative amounts ((42) reads as -42) removed.',
    );
    const { frame } = buildTrainingSet(csv, schema);
    const values = (getColumn(frame, "MonthlyCharges") as NumericColumn).values;
    expect(values[0]).toBeCloseTo(2035, 6);
    expect(values[7]).toBeCloseTo(-(20 + ((7 * 13) % 100) + 0.35) * 100, 6);
  });

  it("14. euro amounts with a decimal comma and dot thousands (1.234,50 €) in a semicolon file", () => {
    const rows = withColumn("MonthlyCharges", (_, v) => {
      const n = Number(v) * 100;
      return `${n.toLocaleString("de-DE", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} €`;
    });
    const { csv, schema } = profile(file(HEADER, rows, ";"));
    expect(col(schema, "MonthlyCharges")).toMatchObject({ type: "numeric", decimalComma: true });
    const { frame } = buildTrainingSet(csv, schema);
    expect((getColumn(frame, "MonthlyCharges") as NumericColumn).values[1]).toBeCloseTo(3335, 6);
  });

  it("15. percent signs: 12.5% reads as 12.5", () => {
    const header = [...HEADER, "Discount"];
    const rows = baseRows().map((r, i) => [...r, `${(i % 8) * 2.5}%`]);
    const { schema } = profile(file(header, rows));
    expect(col(schema, "Discount")).toMatchObject({ type: "numeric" });
    expect(col(schema, "Discount").stats.max).toBe(17.5);
    expect(
      schema.warnings.some((w) => w.startsWith('Column "Discount" is read as numbers: percent signs')),
    ).toBe(true);
  });

  it("16. NA, null, ?, -, —, #N/A, #DIV/0! and empty cells are all missing", () => {
    const tokens = ["NA", "null", "?", "-", "\u2014", "#N/A", "#DIV/0!", "", "N/A", "NULL"];
    const rows = withColumn("tenure", (i, v) => (i < tokens.length ? tokens[i] : v));
    const { schema } = profile(file(HEADER, rows));
    const c = col(schema, "tenure");
    expect(c.type).toBe("numeric");
    expect(c.stats.missing).toBe(tokens.length);
    expect(schema.warnings.filter((w) => w.includes('"tenure"'))).toEqual([]);
  });

  it("17. ids stored as numbers with leading zeros stay text (00042 is not 42)", () => {
    const rows = withColumn("customerID", (i) => String(i + 1).padStart(5, "0"));
    const { schema } = profile(file(HEADER, rows));
    const c = col(schema, "customerID");
    expect(c.type).toBe("categorical");
    expect(schema.identifier).toBe("customerID");
    expect(schema.warnings).toContain(
      'Column "customerID" holds numbers with leading zeros (such as "00001"); they are kept as text, as codes and ids are.',
    );
  });
});

describe("quirk corpus: yes/no and target words", () => {
  it("18. a boolean target spelled TRUE/True/FALSE/False is two classes, counted as such", () => {
    const spell = ["TRUE", "True", "true"];
    const spellNo = ["FALSE", "False", "false", "FALSE"];
    const rows = withColumn("Churn", (i, v) => (v === "Yes" ? spell[i % 3] : spellNo[i % 4]));
    const { csv, schema } = profile(file(HEADER, rows));
    expect(schema.problems).toEqual([]);
    expect(schema.target).toBe("Churn");
    expect(schema.classCounts).toEqual(BASE.classCounts);
    expect(labelOf("True", schema)).toBe(1);
    expect(labelOf(" false ", schema)).toBe(0);
    const { labels } = buildTrainingSet(csv, schema);
    expect(labels.reduce((a, b) => a + b, 0)).toBe(30);
  });

  it("18b. 1/0 and 1.0/0.0 mixed in the target", () => {
    const rows = withColumn("Churn", (i, v) => (v === "Yes" ? (i % 8 ? "1" : "1.0") : i % 2 ? "0" : "0.0"));
    const { schema } = profile(file(HEADER, rows));
    expect(schema.classCounts).toEqual(BASE.classCounts);
  });

  it("19. a boolean feature spelled yes/no/Y/N/1/0 is one yes/no input: two levels, one encoded column", () => {
    const yes = ["Yes", "yes", "Y", "1", "TRUE"];
    const no = ["No", "no", "N", "0", "FALSE"];
    const rows = withColumn("Partner", (i, v) =>
      v === "Yes" ? yes[Math.floor(i / 2) % 5] : no[Math.floor(i / 2) % 5],
    );
    const { csv, schema } = profile(file(HEADER, rows));
    const c = col(schema, "Partner");
    expect(c).toMatchObject({ type: "boolean", role: "feature", trueValue: "Yes", falseValue: "No" });
    expect(c.stats.distinct).toBe(2);
    expect(c.stats.topValues.map((v) => [v.value, v.count])).toEqual([
      ["No", 60],
      ["Yes", 60],
    ]);
    expect(
      schema.warnings.some((w) => w.startsWith('Column "Partner" is a yes/no column written several ways')),
    ).toBe(true);
    const { frame } = buildTrainingSet(csv, schema);
    expect((getColumn(frame, "Partner") as CategoricalColumn).levels).toEqual(["No", "Yes"]);
    const pipeline = FeaturePipeline.fromSchema(schema).fit(frame);
    expect(pipeline.featureNames.filter((f) => f.startsWith("Partner"))).toEqual(["Partner=Yes"]);
  });

  it.each([
    ["Attrition_Flag", "Attrited Customer", "Existing Customer"],
    ["Status", "churned", "active"],
    ["Status", "Churned", "ACTIVE"],
    ["Customer Status", "left", "stayed"],
    ["Exited", "Exited", "Retained"],
  ])("20. a target written as words: %s = %j / %j", (name, churned, retained) => {
    const header = [...HEADER.slice(0, -1), name];
    const rows = withColumn("Churn", (_, v) => (v === "Yes" ? churned : retained));
    const { schema } = profile(file(header, rows));
    expect(schema.target).toBe(name);
    expect(schema.positiveLabel).toBe(churned);
    expect(schema.classCounts).toEqual(BASE.classCounts);
  });

  it("20b. target words differing in case are one class", () => {
    const rows = withColumn("Churn", (i, v) =>
      v === "Yes" ? (i % 12 ? "Churned" : "churned") : i % 2 ? "Active" : "active",
    );
    const header = [...HEADER.slice(0, -1), "Status"];
    const { schema } = profile(file(header, rows));
    expect(schema.positiveLabel).toBe("Churned");
    expect(schema.classCounts).toEqual(BASE.classCounts);
  });
});

describe("quirk corpus: dates become recency features", () => {
  const day = (iso: string) => parseDate(iso, "ymd");
  /** Last login i days before 2024-03-31 (ISO), written with `format`. */
  function loginRows(format: (d: Date) => string): { header: string[]; rows: string[][] } {
    const header = [...HEADER, "LastLogin"];
    const rows = baseRows().map((r, i) => {
      const d = new Date(Date.UTC(2024, 2, 31) - ((i * 11) % 200) * 86_400_000);
      return [...r, format(d)];
    });
    return { header, rows };
  }
  const pad = (n: number) => String(n).padStart(2, "0");
  const ymd = (d: Date) => d.toISOString().slice(0, 10);
  const dmy = (d: Date) => `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
  const mdy = (d: Date) => `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
  const named = (d: Date) =>
    `${d.getUTCDate()} ${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()]} ${d.getUTCFullYear()}`;

  it.each([
    ["ISO", ymd, "ymd"],
    ["dd/mm/yyyy", dmy, "dmy"],
    ["mm/dd/yyyy", mdy, "mdy"],
    ["month names", named, "ymd"],
  ] as const)("21. %s dates: a feature of days before the file's latest date", (_, format, expected) => {
    const { header, rows } = loginRows(format);
    const { csv, schema } = profile(file(header, rows));
    const c = col(schema, "LastLogin");
    expect(c).toMatchObject({ type: "date", role: "feature", dateFormat: expected });
    expect(schema.referenceDate).toBe(day("2024-03-31"));
    expect(schema.warnings).toContain(
      'Column "LastLogin" holds dates; it is used as the number of days before 2024-03-31, the latest date in the file (recency), so the model stays valid as time passes.',
    );
    const { frame } = buildTrainingSet(csv, schema);
    const pipeline = FeaturePipeline.fromSchema(schema).fit(frame);
    const j = pipeline.featureNames.indexOf("LastLogin");
    const matrix = pipeline.transform(frame);
    for (const i of [0, 1, 5, 33]) expect(matrix.data[i * matrix.cols + j]).toBe((i * 11) % 200);
    // The API and the what-if form take a date and get the same recency.
    const records = pipeline.transformRecords([
      { ...Object.fromEntries(HEADER.map((h, k) => [h, rows[5][k]])), LastLogin: "2024-03-01" },
    ]);
    expect(records.matrix.data[j]).toBe(30);
    const input = pipeline.describeInputs().find((x) => x.name === "LastLogin");
    expect(typeof input?.defaultValue).toBe("string");
    expect(input?.defaultValue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("22. a column whose days never exceed 12 takes the day/month order of the file's other date column", () => {
    const header = [...HEADER, "SignupDate", "LastLogin"];
    const rows = baseRows().map((r, i) => [
      ...r,
      `${pad((i % 12) + 1)}/${pad((i % 11) + 1)}/2023`, // ambiguous on its own
      `${pad((i % 28) + 1)}/${pad((i % 3) + 1)}/2024`, // days up to 28: day first
    ]);
    const { schema } = profile(file(header, rows));
    expect(col(schema, "LastLogin")).toMatchObject({ dateFormat: "dmy" });
    expect(col(schema, "SignupDate")).toMatchObject({ dateFormat: "dmy" });
    expect(schema.warnings).toContain(
      'Column "SignupDate": no day is above 12, so its dates are read as day/month/year like column "LastLogin".',
    );
  });

  it("22b. an ambiguous date column on its own is read by the separator's convention, and said", () => {
    const header = [...HEADER, "SignupDate"];
    const rows = baseRows().map((r, i) => [...r, `${pad((i % 12) + 1)}/${pad((i % 11) + 1)}/2023`]);
    const { schema } = profile(file(header, rows));
    expect(col(schema, "SignupDate").dateFormat).toBe("mdy");
    expect(schema.warnings.some((w) => w.startsWith('Column "SignupDate": no day is above 12'))).toBe(true);
  });

  it("21b. the import moves the reference date to the latest date over all rows, and its note with it", () => {
    const { header, rows } = loginRows(ymd);
    const { schema } = profile(file(header, rows));
    const later = day("2024-04-15");
    const moved = withReferenceDate(schema, new Map([["LastLogin", later]]));
    expect(moved.referenceDate).toBe(later);
    expect(moved.warnings).toContain(recencyNote("LastLogin", later));
    expect(moved.warnings).not.toContain(recencyNote("LastLogin", day("2024-03-31")));
    // No date feature: nothing changes.
    expect(withReferenceDate(BASE, new Map([["tenure", later]]))).toBe(BASE);
  });

  it("23. a birth date stays personal data, not a recency feature, and does not set the reference date", () => {
    const header = [...HEADER, "DateOfBirth"];
    const rows = baseRows().map((r, i) => [...r, `19${50 + (i % 40)}-0${(i % 9) + 1}-1${i % 9}`]);
    const { schema } = profile(file(header, rows));
    expect(col(schema, "DateOfBirth")).toMatchObject({ personalData: "birth_date", role: "excluded" });
    expect(schema.referenceDate).toBeNull();
  });
});

describe("quirk corpus: everything at once trains", () => {
  it("24. a file with many quirks reads as the clean file does", () => {
    const rows = baseRows().map((r, i) => [
      String(i + 1).padStart(6, "0"),
      i === 4 ? "NA" : r[1],
      `"${r[2].replace(".", ",")} €"`.slice(1, -1),
      r[3],
      r[4] === "Yes" ? (i % 3 ? "TRUE" : "True") : i % 3 ? "FALSE" : "false",
      r[5] === "Yes" ? (i % 2 ? "Yes" : "yes") : "No ",
    ]);
    const all = lines(
      [...HEADER.map((h) => `${h} `), ""],
      rows.map((r) => [...r, ""]),
      ";",
    );
    const text = `\ufeffsep=;\r\n${all.slice(0, 60).join("\r\n")}\n${all.slice(60).join("\n")}\n`;
    const { csv, schema } = profile(text);
    expect(schema.problems).toEqual([]);
    expect(schema.classCounts).toEqual(BASE.classCounts);
    expect(col(schema, "Partner")).toMatchObject({ type: "boolean" });
    expect(col(schema, "MonthlyCharges")).toMatchObject({ type: "numeric", decimalComma: true });
    expect(col(schema, "tenure").stats.missing).toBe(1);
    const { frame, labels } = buildTrainingSet(csv, schema);
    expect(frame.rowCount).toBe(N);
    expect(labels.length).toBe(N);
    const pipeline = FeaturePipeline.fromSchema(schema).fit(frame);
    expect(pipeline.featureNames).toContain("Partner=TRUE");
    expect(pipeline.featureNames).not.toContain("Partner=True");
  });
});
