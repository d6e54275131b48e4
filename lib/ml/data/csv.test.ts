import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { skipWithoutSharedFile, TELCO_CSV as TELCO } from "../../testing/shared-data";
import { type CsvBatch, detectDelimiter, parseCsv, parseCsvStream, readCsvBatches } from "./csv";
import { DatasetError } from "./errors";
import { toCsv } from "./test-factories";

const enc = (s: string) => new TextEncoder().encode(s);

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < bytes.length; o += size) yield bytes.subarray(o, Math.min(o + size, bytes.length));
}

function catchError(fn: () => unknown): DatasetError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error("expected a DatasetError");
}

async function catchStreamError(input: string | Uint8Array, chunkSize = 3): Promise<DatasetError> {
  const bytes = typeof input === "string" ? enc(input) : input;
  try {
    await parseCsvStream(chunked(bytes, chunkSize), () => {});
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error("expected a DatasetError");
}

const columns = ["id", "plan", "note", "churn"];
const rows = [
  ["1", "basic", 'said "hi", then left', "Yes"],
  ["2", "pro", "multi\nline", "No"],
  ["3", "plus", "", "No"],
];

describe("parseCsv: delimiters, BOM and line endings", () => {
  const variants = [",", ";", "\t"].flatMap((delimiter) =>
    ["\n", "\r\n", "\r"].flatMap((eol) => [false, true].map((bom) => ({ delimiter, eol, bom }))),
  );
  it.each(variants)("reads delimiter %j", ({ delimiter, eol, bom }) => {
    const text = toCsv(columns, rows, { delimiter, eol, bom });
    for (const input of [text, enc(text)]) {
      const parsed = parseCsv(input);
      expect(parsed.delimiter).toBe(delimiter);
      expect(parsed.columns).toEqual(columns);
      expect(parsed.rows.length).toBe(3);
      expect(parsed.rows[0]).toEqual(rows[0]);
      expect(parsed.rows[1][2]).toBe(eol === "\r\n" ? "multi\nline" : "multi\nline");
      expect(parsed.rows[2]).toEqual(rows[2]);
    }
  });

  it("detects the delimiter from the header, ignoring delimiters inside quotes", () => {
    expect(detectDelimiter('"a,b,c";d;e\n')).toBe(";");
    expect(detectDelimiter('"x;y;z",b\n1;2;3;4;5\n')).toBe(",");
    expect(detectDelimiter("a\tb\tc\n")).toBe("\t");
    expect(detectDelimiter("single\n1\n")).toBe(",");
    expect(detectDelimiter("\ufeffa;b\n")).toBe(";");
  });

  it("keeps values exactly as written (no trimming) and trims header names", () => {
    const parsed = parseCsv(" id , plan \n 1 , basic \n");
    expect(parsed.columns).toEqual(["id", "plan"]);
    expect(parsed.rows[0]).toEqual([" 1 ", " basic "]);
  });

  it("skips blank lines and all-blank rows and counts the latter", () => {
    const parsed = parseCsv("a,b\n1,2\n\n,\n3,4\n , \n");
    expect(parsed.rows).toEqual([
      ["1", "2"],
      ["3", "4"],
    ]);
    expect(parsed.skippedBlankRows).toBe(2);
  });

  it("accepts a file without a final line break and an explicit delimiter", () => {
    expect(parseCsv("a;b\n1;2", { delimiter: ";" }).rows).toEqual([["1", "2"]]);
    expect(parseCsv("a,b;c\n1,2;3", { delimiter: ";" }).columns).toEqual(["a,b", "c"]);
  });

  it("keeps a stray quote inside an unquoted value", () => {
    expect(parseCsv('device,size\nTV,55" screen\n').rows[0]).toEqual(["TV", '55" screen']);
  });
});

describe("parseCsv: errors name the problem and the line", () => {
  const cases: { name: string; input: string | Uint8Array; code: string; message: RegExp; line?: number }[] =
    [
      { name: "empty file", input: "", code: "EMPTY_FILE", message: /^The file is empty/ },
      { name: "only blank lines", input: "\r\n\n  \n", code: "EMPTY_FILE", message: /^The file is empty/ },
      { name: "only a BOM", input: "\ufeff", code: "EMPTY_FILE", message: /^The file is empty/ },
      {
        name: "header only",
        input: "customerID,Churn\n",
        code: "HEADER_ONLY",
        message: /^The file has a header \(2 columns\) but no data rows\.$/,
      },
      {
        name: "a value under a header cell without a name",
        input: "id,,churn\n1,,3\n4,5,6\n",
        code: "EMPTY_COLUMN_NAME",
        message: /^Column 2 has no name in the header \(line 1\), but line 3 has a value in it \("5"\)/,
        line: 3,
      },
      {
        name: "ragged row with too many fields",
        input: `${Array.from({ length: 21 }, (_, i) => `c${i}`).join(",")}\n${"1,".repeat(20)}1\n${"2,".repeat(18)}2\n`,
        code: "RAGGED_ROW",
        message: /^Line 3 has 19 fields, expected 21\.$/,
        line: 3,
      },
      {
        name: "ragged row after a multi-line quoted value",
        input: 'a,b\n1,"two\nlines"\n3,4,5\n',
        code: "RAGGED_ROW",
        message:
          /^Line 4 has 3 fields, expected 2\. A value that contains a comma must be enclosed in double quotes\.$/,
        line: 4,
      },
      {
        name: "ragged row in a CR-only file",
        input: "a;b\r1;2\r3\r",
        code: "RAGGED_ROW",
        message: /^Line 3 has 1 fields, expected 2\.$/,
        line: 3,
      },
      {
        name: "unclosed quote",
        input: 'a,b\n1,2\n3,"never closed\n5,6\n',
        code: "UNCLOSED_QUOTE",
        message: /^The quoted value that starts on line 3 is never closed/,
        line: 3,
      },
      {
        name: "invalid UTF-8 (Windows-1252 é)",
        input: new Uint8Array([...enc("name,city\nA,Paris\nB,Mont"), 0xe9, ...enc("limar\n")]),
        code: "INVALID_UTF8",
        message: /^Line 3 is not valid UTF-8 text \(byte 0xE9 at byte offset 24\)/,
        line: 3,
      },
      {
        name: "truncated UTF-8 character at the end",
        input: new Uint8Array([...enc("a\n1\n"), 0xc3]),
        code: "INVALID_UTF8",
        message: /^Line 3 is not valid UTF-8 text \(byte 0xC3 at byte offset 4\)/,
      },
      {
        name: "NUL byte",
        input: new Uint8Array([...enc("a,b\n1,2\n3,"), 0, ...enc("\n")]),
        code: "BINARY_FILE",
        message: /^Line 3 contains a NUL byte \(byte offset 10\)/,
        line: 3,
      },
      {
        name: "xlsx renamed .csv",
        input: new Uint8Array([
          0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 8, 0, 0, 0, 0x21, 0, 0x62, 0xee, 0x9d, 0x68,
        ]),
        code: "BINARY_FILE",
        message: /^This is a ZIP archive \(an Excel \.xlsx workbook/,
      },
      {
        name: "xls renamed .csv",
        input: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        code: "BINARY_FILE",
        message: /old Excel \.xls workbook/,
      },
      {
        name: "PDF",
        input: "%PDF-1.7\n%âãÏÓ\n1 0 obj\n",
        code: "BINARY_FILE",
        message: /^This is a PDF document/,
      },
      {
        name: "PNG",
        input: new Uint8Array([
          0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
        ]),
        code: "BINARY_FILE",
        message: /^This is a PNG image/,
      },
      {
        name: "UTF-16 with BOM but an unpaired surrogate",
        input: new Uint8Array([0xff, 0xfe, ...Buffer.from("a,b\n1,2\n", "utf16le"), 0x00, 0xd8, 0x41, 0x00]),
        code: "UNSUPPORTED_ENCODING",
        message: /^The file starts like UTF-16 text but is not valid UTF-16\./,
      },
      {
        name: "UTF-16 without BOM",
        input: new Uint8Array(Buffer.from("a,b\n1,2\n3,4\n", "utf16le")),
        code: "UNSUPPORTED_ENCODING",
        message: /looks like UTF-16/,
      },
    ];

  it.each(cases)("$name", ({ input, code, message, line }) => {
    const error = catchError(() => parseCsv(input));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    if (line !== undefined) expect(error.line).toBe(line);
  });

  it.each(cases)("$name (streamed in 3-byte chunks)", async ({ input, code, message, line }) => {
    const error = await catchStreamError(input);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    if (line !== undefined) expect(error.line).toBe(line);
  });

  it("enforces the byte limit", () => {
    const error = catchError(() => parseCsv("a,b\n1,2\n3,4\n", { maxBytes: 8 }));
    expect(error.code).toBe("FILE_TOO_LARGE");
    expect(error.message).toBe(
      "The file is larger than the 8 bytes limit. Split it or remove unused columns.",
    );
    expect(
      catchError(() => parseCsv("x".repeat(3 * 1024 * 1024), { maxBytes: 2 * 1024 * 1024 })).message,
    ).toMatch(/larger than the 2 MB limit/);
  });

  it("enforces the row limit", () => {
    const error = catchError(() => parseCsv("a\n1\n2\n3\n", { maxRows: 2 }));
    expect(error.code).toBe("TOO_MANY_ROWS");
    expect(error.message).toBe("The file has more than 2 data rows, the most accepted.");
    expect(parseCsv("a\n1\n2\n", { maxRows: 2 }).rows.length).toBe(2);
  });

  it("rejects an overlong record (wrong delimiter guard)", () => {
    const error = catchError(() => parseCsv(`a\nok\n${"x".repeat(500)}\n`, { maxRecordChars: 100 }));
    expect(error.code).toBe("LINE_TOO_LONG");
    expect(error.message).toMatch(/^Line 3 is longer than 100 characters/);
  });

  it("serialises to plain JSON for job results", () => {
    const error = catchError(() => parseCsv("a,b\n1\n"));
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: "RAGGED_ROW",
      message: "Line 2 has 1 fields, expected 2.",
      line: 2,
    });
    expect(DatasetError.fromJSON(error.toJSON()).line).toBe(2);
  });
});

describe("streaming", () => {
  const text = toCsv(
    ["id", "value", "note"],
    Array.from({ length: 2500 }, (_, i) => [
      String(i),
      (i * 0.5).toFixed(1),
      i % 7 === 0 ? 'a, "quoted"\nnote' : "x",
    ]),
    { eol: "\r\n", bom: true },
  );
  const bytes = enc(text);

  it("yields the same rows as parseCsv, in batches, for any chunk size", async () => {
    const whole = parseCsv(bytes);
    for (const size of [1, 7, 4096, bytes.length]) {
      const batches: CsvBatch[] = [];
      const summary = await parseCsvStream(
        chunked(bytes, size),
        (_, batch) => {
          batches.push(batch);
        },
        { batchSize: 1000 },
      );
      expect(batches.map((b) => b.rows.length)).toEqual([1000, 1000, 500]);
      expect(batches.map((b) => b.firstRowIndex)).toEqual([0, 1000, 2000]);
      expect(batches.flatMap((b) => b.rows)).toEqual(whole.rows);
      expect(summary).toEqual({
        columns: ["id", "value", "note"],
        delimiter: ",",
        rowCount: 2500,
        byteCount: bytes.length,
        skippedBlankRows: 0,
        notes: [],
      });
    }
  });

  it("waits for the consumer before reading more of the source (back-pressure)", async () => {
    let pulled = 0;
    async function* source() {
      for (let o = 0; o < bytes.length; o += 1024) {
        pulled += 1;
        yield bytes.subarray(o, o + 1024);
      }
    }
    const totalChunks = Math.ceil(bytes.length / 1024);
    let pulledAtFirstBatch = -1;
    await parseCsvStream(
      source(),
      async () => {
        if (pulledAtFirstBatch < 0) pulledAtFirstBatch = pulled;
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
      { batchSize: 100 },
    );
    expect(pulledAtFirstBatch).toBeGreaterThan(0);
    expect(pulledAtFirstBatch).toBeLessThan(totalChunks);
  });

  it("stops reading the source when the caller stops early", async () => {
    let finished = false;
    async function* source() {
      try {
        for (let o = 0; o < bytes.length; o += 512) yield bytes.subarray(o, o + 512);
      } finally {
        finished = true;
      }
    }
    for await (const batch of readCsvBatches(source(), { batchSize: 10 })) {
      expect(batch.rows.length).toBe(10);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(finished).toBe(true);
  });

  it("releases the source when the first chunk is already rejected", async () => {
    let finished = false;
    async function* source() {
      try {
        yield new Uint8Array([
          0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x25, 0x25, 0x25, 0x25, 0x25, 0x25, 0x0a,
        ]);
        yield enc("never read");
      } finally {
        finished = true;
      }
    }
    await expect(parseCsvStream(source(), () => {})).rejects.toThrow(/^This is a PDF document/);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(finished).toBe(true);
  });

  it("reports a ragged row deep in the file with its physical line", async () => {
    const bad = enc(`a,b\n${"1,2\n".repeat(5000)}1,2,3\n`);
    const delivered: number[] = [];
    const error = await parseCsvStream(chunked(bad, 4096), (r) => {
      delivered.push(r.length);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).message).toMatch(/^Line 5002 has 3 fields, expected 2\./);
  });

  it("works from a synchronous iterable of chunks", async () => {
    const summary = await parseCsvStream([enc("a;b\n1;"), enc("2\n")], () => {});
    expect(summary.rowCount).toBe(1);
    expect(summary.delimiter).toBe(";");
  });
});

describe.skipIf(skipWithoutSharedFile(TELCO, "the Telco CSV tests"))(
  `Telco file (${TELCO}; skipped when absent)`,
  () => {
    it("parses 7,043 rows of 21 columns, streamed or not", async () => {
      const bytes = readFileSync(TELCO);
      const parsed = parseCsv(bytes);
      expect(parsed.columns.length).toBe(21);
      expect(parsed.columns[0]).toBe("customerID");
      expect(parsed.rows.length).toBe(7043);
      let streamed = 0;
      const summary = await parseCsvStream(chunked(bytes, 64 * 1024), (r) => {
        streamed += r.length;
      });
      expect(streamed).toBe(7043);
      expect(summary.rowCount).toBe(7043);
    });
  },
);
