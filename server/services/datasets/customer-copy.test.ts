/**
 * The COPY import path: the same customers land in the database as through INSERT … jsonb (cells
 * with tabs, backslashes, line breaks, quotes, non-ASCII text, missing values and a column named
 * "__proto__"), and a bad row after several COPY batches leaves nothing behind.
 */
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { customers } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { createUser } from "../../testing/factories";
import type { Actor } from "../audit";
import { copyText, customerWriteMode } from "./customer-copy";
import { IdentifierError } from "./errors";
import { importDataset, importDatasetFromFile } from "./import";
import { leftovers, toCsvText, useTemporaryDataDir } from "./test-helpers";
import { discardUpload, stageUpload } from "./uploads";

const COLUMNS = ["customerId", "note", "__proto__", "MonthlyCharges", "tenure", "Churn"];
const AWKWARD = ["tab\there", "back\\slash \\N", "line\nbreak", 'say "hi"', "crème brûlée ✓", "", "\\t"];

function awkwardCsv(rows: number, duplicateAt?: number): string {
  const out: string[][] = [];
  for (let i = 0; i < rows; i++) {
    const id = duplicateAt !== undefined && i === duplicateAt ? "K-00001" : `K-${String(i).padStart(5, "0")}`;
    out.push([
      id,
      AWKWARD[i % AWKWARD.length],
      i % 3 === 0 ? "" : `p${i % 4}`,
      i % 11 === 0 ? "" : (20 + (i % 50) + 0.25).toFixed(2),
      String(i % 72),
      i % 4 === 0 ? "Yes" : "No",
    ]);
  }
  return toCsvText(COLUMNS, out);
}

describe("copyText", () => {
  it("escapes COPY's special characters and writes missing values as \\N", () => {
    const text = copyText(7, [
      {
        rowNumber: 1,
        externalId: "a\tb",
        features: { x: "back\\slash", y: "line\nbreak", z: null },
        label: null,
        monthlyValue: null,
      },
    ]);
    expect(text).toBe('7\t1\ta\\tb\t{"x":"back\\\\\\\\slash","y":"line\\\\nbreak","z":null}\t\\N\t\\N\n');
  });
});

describe.each(testDatabaseKinds())("the COPY import on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let actor: Actor;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { user } = await createUser(handle.db, "manager");
    actor = { id: user.id, label: user.email, ip: "203.0.113.9" };
  });
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  const rowsOf = (versionId: number) =>
    handle.db
      .select({
        rowNumber: customers.rowNumber,
        externalId: customers.externalId,
        features: customers.features,
        label: customers.label,
        monthlyValue: customers.monthlyValue,
      })
      .from(customers)
      .where(eq(customers.datasetVersionId, versionId))
      .orderBy(asc(customers.rowNumber));

  it("uses COPY on this driver and writes exactly the rows INSERT writes", async () => {
    await handle.db.transaction(async (tx) => {
      expect(customerWriteMode(tx)).toBe("copy");
    });
    const bytes = new TextEncoder().encode(awkwardCsv(2_345));
    const copied = await importDatasetFromFile(
      handle.db,
      actor,
      { bytes, name: "Copied", overrides: { identifier: "customerId" } },
      { batchSize: 500, writeMode: "copy" },
    );
    const inserted = await importDatasetFromFile(
      handle.db,
      actor,
      { bytes, name: "Inserted", overrides: { identifier: "customerId" } },
      { batchSize: 500, writeMode: "insert" },
    );
    expect(copied.rowCount).toBe(2_345);
    const a = await rowsOf(copied.datasetVersionId);
    const b = await rowsOf(inserted.datasetVersionId);
    expect(a).toHaveLength(2_345);
    expect(a).toEqual(b);
    // Spot checks against the file itself, so both paths agreeing on a wrong value would fail too.
    expect(a[1]).toMatchObject({ externalId: "K-00001", label: 0, monthlyValue: 21.25 });
    expect(a[1].features).toMatchObject({ note: "back\\slash \\N", __proto__: "p1", tenure: 1 });
    expect(Object.hasOwn(a[1].features, "__proto__")).toBe(true);
    expect(a[2].features.note).toBe("line\nbreak");
    expect(a[0]).toMatchObject({ label: 1, monthlyValue: null });
    expect(a[0].features).toMatchObject({ note: "tab\there", MonthlyCharges: null, __proto__: null });
    expect(a[4].features.note).toBe("crème brûlée ✓");
    expect(a[6].features.note).toBe("\\t");
  });

  it("leaves nothing written when a bad row comes after several COPY batches", async () => {
    const before = await leftovers(handle.db);
    // Row 1,801 repeats row 2's id with other values: found after three batches of 500 were copied.
    const preview = await stageUpload(
      (async function* () {
        yield new TextEncoder().encode(awkwardCsv(2_000, 1_800));
      })(),
      { fileName: "dup.csv", actor },
    );
    let copiedBatches = 0;
    const error = await importDataset(
      handle.db,
      actor,
      { uploadId: preview.uploadId, name: "Bad row", overrides: { identifier: "customerId" } },
      { batchSize: 500, onBatchInserted: () => void copiedBatches++ },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(IdentifierError);
    expect(error.message).toContain("Data rows 2 and 1801 have the same customerId");
    expect(copiedBatches).toBe(3);
    await discardUpload(preview.uploadId, actor);
    expect(await leftovers(handle.db)).toEqual(before);
  });
});
