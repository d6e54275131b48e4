/**
 * Every bad upload is refused with the lib/ml/data error text, and leaves nothing behind: no
 * staged or permanent file, no dataset, version or customer row.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatasetError } from "@/lib/ml/data";
import type { DatabaseHandle } from "../../db/client";
import { getStorage } from "../../storage";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { createUser } from "../../testing/factories";
import type { Actor } from "../audit";
import { UploadTooLargeError } from "./errors";
import { importDatasetFromFile } from "./import";
import { bytesOf, churnCsv, leftovers, NOTHING_LEFT, storedKeys, useTemporaryDataDir } from "./test-helpers";
import { cleanupStagedUploads, discardUpload, getStagedUpload, stageUpload } from "./uploads";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
const latin1Row = new Uint8Array([
  ...new TextEncoder().encode("name,Churn\n"),
  0x4a,
  0xf6,
  0x72,
  0x67,
  0x2c,
  0x4e,
  0x6f,
  0x0a,
]);

const BAD_UPLOADS: {
  name: string;
  body: string | Uint8Array;
  code: string;
  message: string | RegExp;
  line?: number;
}[] = [
  {
    name: "an empty file",
    body: "",
    code: "EMPTY_FILE",
    message: "The file is empty: it has no header and no rows.",
  },
  {
    name: "a header without rows",
    body: "customerId,plan,Churn\n",
    code: "HEADER_ONLY",
    message: "The file has a header (3 columns) but no data rows.",
  },
  {
    name: "a totals line at the end",
    body: `${churnCsv(60)}Total,,,,,\n`,
    code: "TOTALS_ROW",
    message:
      'Line 62 looks like a totals line ("Total" in column "customerId"), not a customer. Delete that line (and any other summary lines) and upload the file again.',
    line: 62,
  },
  {
    name: "a value under a header cell without a name",
    body: churnCsv(60).replace("plan", " "),
    code: "EMPTY_COLUMN_NAME",
    message:
      /^Column 2 has no name in the header \(line 1\), but line 2 has a value in it \(".+"\)\. Name the column in the header or delete it\.$/,
    line: 2,
  },
  {
    name: "more than 2,000 columns",
    body: churnCsv(60, {
      columns: ["customerId", ...Array.from({ length: 1999 }, (_, j) => `x${j}`), "Churn"],
    }),
    code: "TOO_MANY_COLUMNS",
    message:
      "The file has 2,001 columns; at most 2,000 are accepted. Keep the customer id, the churn column and the columns that describe customers, and upload that file.",
  },
  {
    name: "a column name over 500 characters",
    body: churnCsv(60).replace("plan", "p".repeat(501)),
    code: "COLUMN_NAME_TOO_LONG",
    message: `Column 2 of the header (line 1) has a name of 501 characters; names are at most 500. Shorten it ("${"p".repeat(40)}…").`,
  },
  {
    name: "a ragged row",
    body: churnCsv(60)
      .split("\n")
      .map((line, i) => (i === 3 ? `${line},extra` : line))
      .join("\n"),
    code: "RAGGED_ROW",
    message:
      "Line 4 has 7 fields, expected 6. A value that contains a comma must be enclosed in double quotes.",
    line: 4,
  },
  {
    name: "non-UTF-8 bytes",
    body: latin1Row,
    code: "INVALID_UTF8",
    message: /^Line 2 is not valid UTF-8 text \(byte 0xF6 at byte offset 12\)/,
    line: 2,
  },
  {
    name: "a PNG image renamed .csv",
    body: PNG,
    code: "BINARY_FILE",
    message: "This is a PNG image, not a CSV file. Upload the data as CSV.",
  },
  {
    name: "a ZIP (xlsx) renamed .csv",
    body: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0]),
    code: "BINARY_FILE",
    message: /^This is a ZIP archive \(an Excel \.xlsx workbook or a zipped file\), not a CSV file\./,
  },
  {
    name: "fewer than 50 rows",
    body: churnCsv(40),
    code: "TOO_FEW_ROWS",
    message: "The data set has 40 labelled row(s); at least 50 are needed to train a model.",
  },
  {
    name: "no usable target",
    body: churnCsv(80, { columns: ["customerId", "plan", "tenure", "MonthlyCharges"] }),
    code: "NO_TARGET",
    message: /^No target column found/,
  },
  {
    name: "a target with one class",
    body: churnCsv(80, { churn: () => "No" }),
    code: "TARGET_ONE_CLASS",
    message: 'Column "Churn" has only one value: No. The target needs both churned and retained customers.',
  },
];

describe.each(testDatabaseKinds())("bad uploads on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let actor: Actor;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { user } = await createUser(handle.db, "manager");
    actor = { id: user.id, label: user.email };
  });
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it.each(BAD_UPLOADS)("refuses $name with its message and leaves nothing behind", async (bad) => {
    const error = await stageUpload(bytesOf(bad.body, 7), { fileName: "bad.csv", actor }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.code).toBe(bad.code);
    if (typeof bad.message === "string") expect(error.message).toBe(bad.message);
    else expect(error.message).toMatch(bad.message);
    if (bad.line !== undefined) expect(error.line).toBe(bad.line);
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);

    // The one-call import used by the seed fails the same way, also leaving nothing.
    const viaFile = await importDatasetFromFile(handle.db, actor, {
      bytes: typeof bad.body === "string" ? new TextEncoder().encode(bad.body) : bad.body,
      name: "Bad",
    }).catch((e) => e);
    expect(viaFile).toMatchObject({ code: bad.code });
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);
  });

  it("previews a file with more columns than its customers can carry, and refuses to import it", async () => {
    const wide = churnCsv(60, {
      columns: ["customerId", ...Array.from({ length: 1500 }, (_, j) => `x${j}`), "Churn"],
      cell: (i, column) => (column.startsWith("x") ? String((i * column.length * 7919) % 97) : undefined),
    });
    const staged = await stageUpload(bytesOf(wide), { fileName: "wide.csv", actor });
    expect(staged.schema.problems.map((p) => p.code)).toEqual(["TOO_MANY_FEATURES"]);
    expect(staged.schema.problems[0].message).toMatch(
      /^1,500 columns to learn from, but only 60 customers with a known "Churn".*Keep at most 30 columns/,
    );
    await discardUpload(staged.uploadId, actor);
    const refused = await importDatasetFromFile(handle.db, actor, {
      bytes: new TextEncoder().encode(wide),
      name: "Wide",
    }).catch((e) => e);
    expect(refused).toMatchObject({ code: "TOO_MANY_FEATURES" });
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);
  });

  it("refuses a file over the size limit by its declared size, before reading it", async () => {
    let read = 0;
    async function* body() {
      read++;
      yield new Uint8Array(10);
    }
    const error = await stageUpload(body(), {
      fileName: "big.csv",
      actor,
      declaredSizeBytes: 230 * 1024 * 1024,
      maxBytes: 200 * 1024 * 1024,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(UploadTooLargeError);
    expect(error.message).toBe("The file is 230 MB; the limit is 200 MB.");
    expect(read).toBe(0);
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);
  });

  it("stops a stream that goes past the limit and deletes the partial file", async () => {
    const text = churnCsv(2_000);
    const error = await stageUpload(bytesOf(text, 1024), {
      fileName: "big.csv",
      actor,
      maxBytes: 10_000,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(UploadTooLargeError);
    expect(error.message).toBe(
      "The file is larger than 10 KB, the limit. Upload a smaller file or split it.",
    );
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);
  });

  it("shows the size with a decimal when it would read the same as the limit", () => {
    expect(new UploadTooLargeError(200.4 * 1024 * 1024, 200 * 1024 * 1024).message).toBe(
      "The file is 200.4 MB; the limit is 200 MB.",
    );
  });

  it("stages a good file with its hash, preview and schema, then discards it", async () => {
    const text = churnCsv(120);
    const preview = await stageUpload(bytesOf(text, 100), {
      fileName: "../../etc/Customers <Q3>.csv",
      actor,
    });
    const { createHash } = await import("node:crypto");
    expect(preview).toMatchObject({
      fileName: "Customers <Q3>.csv",
      sizeBytes: Buffer.byteLength(text),
      sha256: createHash("sha256").update(text).digest("hex"),
      rowCount: 120,
      columns: ["customerId", "plan", "tenure", "MonthlyCharges", "email", "Churn"],
    });
    expect(preview.previewRows).toHaveLength(20);
    expect(preview.previewRows[0]).toEqual([
      "C-00001",
      "basic",
      "0",
      "20.35",
      "customer0@example.com",
      "Yes",
    ]);
    expect(preview.schema.target).toBe("Churn");
    expect(preview.schema.identifier).toBe("customerId");
    expect(preview.schema.columns.find((c) => c.name === "email")).toMatchObject({
      role: "excluded",
      personalData: "email",
    });
    expect(await storedKeys()).toEqual([
      `uploads/${preview.uploadId}/data.csv`,
      `uploads/${preview.uploadId}/upload.json`,
    ]);
    expect(await getStagedUpload(preview.uploadId, actor)).toMatchObject({ sha256: preview.sha256 });
    // Another user cannot see it.
    await expect(
      getStagedUpload(preview.uploadId, { id: (actor.id ?? 0) + 999, label: "x" }),
    ).rejects.toThrow("no longer available");
    await discardUpload(preview.uploadId, actor);
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);
  });

  it("offers a choice instead of failing when the target is not recognised but a two-valued column exists", async () => {
    const text = churnCsv(80, {
      columns: ["customerId", "plan", "tenure", "status"],
      cell: (i, c) => (c === "status" ? (i % 3 ? "active" : "gone") : (undefined as unknown as string)),
    });
    const preview = await stageUpload(bytesOf(text), { fileName: "x.csv", actor });
    expect(preview.schema.target).toBeNull();
    expect(preview.schema.problems.map((p) => p.code)).toContain("NO_TARGET");
    expect(preview.targetCandidates).toEqual(["status"]);
    await discardUpload(preview.uploadId, actor);
  });

  it("removes staged uploads older than 24 hours", async () => {
    const preview = await stageUpload(bytesOf(churnCsv(60)), { fileName: "old.csv", actor });
    expect(await cleanupStagedUploads()).toBe(0);
    expect(await cleanupStagedUploads({ now: Date.now() + 25 * 3_600_000 })).toBe(2);
    await expect(getStagedUpload(preview.uploadId, actor)).rejects.toThrow("no longer available");
    expect(await storedKeys(getStorage())).toEqual([]);
  });
});
