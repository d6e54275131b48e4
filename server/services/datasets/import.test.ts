/**
 * Importing: the Telco file end to end (rows, churn rate, TotalCharges' missing values, file and
 * checksum, audit), versions under one name, the rows the training pipeline reads back, deletion,
 * and failures at import time that must leave no dataset, version, customer or file behind.
 * Each test compares with what was there before it, so the tests pass alone and in any order.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildTrainingSet } from "@/lib/ml/data";
import { skipWithoutSharedFile } from "@/lib/testing/shared-data";
import type { DatabaseHandle } from "../../db/client";
import { customers, datasetVersions, trainingRuns } from "../../db/schema";
import { getStorage } from "../../storage";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { createUser } from "../../testing/factories";
import { type Actor, listAudit } from "../audit";
import { DatasetBusyError, IdentifierError } from "./errors";
import { importDataset, importDatasetFromFile } from "./import";
import { deleteDataset, getDataset, listDatasets, loadDatasetVersionRows } from "./queries";
import {
  bytesOf,
  churnCsv,
  leftovers,
  NOTHING_LEFT,
  storedKeys,
  TELCO_CSV,
  useTemporaryDataDir,
} from "./test-helpers";
import { discardUpload, getStagedUpload, stageUpload } from "./uploads";

const skipTelco = skipWithoutSharedFile(TELCO_CSV, "the Telco import tests");

describe.each(testDatabaseKinds())("importing datasets on %s", (kind) => {
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

  describe("failures at import time leave nothing behind", () => {
    /** Rows and files now, to compare with after a failed import (other tests' data may be there). */
    let before: Awaited<ReturnType<typeof leftovers>>;
    beforeEach(async () => {
      before = await leftovers(handle.db);
    });
    /** What the test added besides its staged uploads, which a failed import keeps for correcting. */
    const addedBesidesUploads = async () => {
      const now = await leftovers(handle.db);
      return {
        datasets: now.datasets - before.datasets,
        versions: now.versions - before.versions,
        customers: now.customers - before.customers,
        files: now.files.filter((key) => !before.files.includes(key) && !key.startsWith("uploads/")),
      };
    };

    it("rolls back everything when the import fails half-way through the customers", async () => {
      const text = churnCsv(3_500);
      const preview = await stageUpload(bytesOf(text), { fileName: "customers.csv", actor });
      let batches = 0;
      const error = await importDataset(
        handle.db,
        actor,
        { uploadId: preview.uploadId, name: "Half-way" },
        {
          onBatchInserted: async (index, rows) => {
            batches++;
            // Three batches of 1,000 customers were written in the transaction before the failure.
            expect(rows).toBe((index + 1) * 1_000);
            if (index === 2) throw new Error("disk full (injected)");
          },
        },
      ).catch((e) => e);
      expect(error.message).toBe("disk full (injected)");
      expect(batches).toBe(3);
      expect(await addedBesidesUploads()).toEqual(NOTHING_LEFT);
      await discardUpload(preview.uploadId, actor);
      expect(await leftovers(handle.db)).toEqual(before);
    });

    it("refuses a target with one class chosen in the preview, keeping the upload to correct", async () => {
      const preview = await stageUpload(bytesOf(churnCsv(200)), { fileName: "c.csv", actor });
      const error = await importDataset(handle.db, actor, {
        uploadId: preview.uploadId,
        name: "One class",
        overrides: { target: "plan" },
      }).catch((e) => e);
      expect(error).toMatchObject({ code: "TARGET_NOT_BINARY" });
      expect(error.message).toBe(
        'Column "plan" has 3 different values; the target must have two (e.g. Yes/No).',
      );
      const constant = churnCsv(200, {
        columns: ["customerId", "plan", "tenure", "Churn", "region"],
        cell: (_i, c) => (c === "region" ? "north" : (undefined as unknown as string)),
      });
      const second = await stageUpload(bytesOf(constant), { fileName: "d.csv", actor });
      const oneClass = await importDataset(handle.db, actor, {
        uploadId: second.uploadId,
        name: "One class",
        overrides: { target: "region" },
      }).catch((e) => e);
      expect(oneClass).toMatchObject({ code: "TARGET_ONE_CLASS" });
      expect(oneClass.message).toBe(
        'Column "region" has only one value: north. The target needs both churned and retained customers.',
      );
      // Only the two staged uploads remain, for the user to correct; the 24 h clean-up removes them.
      expect(await addedBesidesUploads()).toEqual(NOTHING_LEFT);
      await getStagedUpload(preview.uploadId, actor);
      await getStagedUpload(second.uploadId, actor);
      for (const upload of [preview, second]) await discardUpload(upload.uploadId, actor);
      expect(await leftovers(handle.db)).toEqual(before);
    });

    it("refuses unknown columns and contradictory choices", async () => {
      const preview = await stageUpload(bytesOf(churnCsv(100)), { fileName: "c.csv", actor });
      await expect(
        importDataset(handle.db, actor, {
          uploadId: preview.uploadId,
          name: "X",
          overrides: { excluded: ["nope"] },
        }),
      ).rejects.toMatchObject({
        code: "COLUMN_NOT_FOUND",
        message: expect.stringContaining('There is no column named "nope"'),
      });
      await expect(
        importDataset(handle.db, actor, {
          uploadId: preview.uploadId,
          name: "X",
          overrides: { target: "Gone" },
        }),
      ).rejects.toMatchObject({ code: "TARGET_NOT_FOUND" });
      await expect(
        importDataset(handle.db, actor, {
          uploadId: preview.uploadId,
          name: "X",
          overrides: { target: "Churn", excluded: ["Churn"] },
        }),
      ).rejects.toThrow('"Churn" is the target; it cannot also be excluded.');
      await expect(
        importDataset(handle.db, actor, { uploadId: preview.uploadId, name: "  " }),
      ).rejects.toThrow("Give the dataset a name");
      expect(await addedBesidesUploads()).toEqual(NOTHING_LEFT);
      await discardUpload(preview.uploadId, actor);
      expect(await leftovers(handle.db)).toEqual(before);
    });

    it("rolls back when the chosen identifier repeats, and the upload can be imported after correcting", async () => {
      const preview = await stageUpload(bytesOf(churnCsv(300)), { fileName: "c.csv", actor });
      const error = await importDataset(
        handle.db,
        actor,
        { uploadId: preview.uploadId, name: "Ids", overrides: { identifier: "plan" } },
        { batchSize: 100 },
      ).catch((e) => e);
      expect(error).toBeInstanceOf(IdentifierError);
      expect(error.message).toBe(
        'Data rows 1 and 4 have the same plan "basic" but different values: an identifier must be unique. Choose another identifier or none.',
      );
      expect(await addedBesidesUploads()).toEqual(NOTHING_LEFT);
      const ok = await importDataset(handle.db, actor, {
        uploadId: preview.uploadId,
        name: "Ids",
        overrides: { identifier: "customerId" },
      });
      expect(ok.rowCount).toBe(300);
      await deleteDataset(handle.db, actor, ok.datasetId);
      expect(await leftovers(handle.db)).toEqual(before);
    });
  });

  it("refuses to delete a dataset while it is being trained, then deletes every version's rows and files", async () => {
    const before = await leftovers(handle.db);
    const name = "Deleted after training";
    const imported = [];
    for (const rows of [250, 150]) {
      const preview = await stageUpload(bytesOf(churnCsv(rows)), { fileName: "c.csv", actor });
      imported.push(await importDataset(handle.db, actor, { uploadId: preview.uploadId, name }));
    }
    const [v1, v2] = imported;
    expect([v1.version, v2.version, v2.datasetId]).toEqual([1, 2, v1.datasetId]);
    const [run] = await handle.db
      .insert(trainingRuns)
      .values({
        datasetId: v1.datasetId,
        datasetVersionId: v2.datasetVersionId,
        params: {},
        status: "running",
      })
      .returning();
    await expect(deleteDataset(handle.db, actor, v1.datasetId)).rejects.toBeInstanceOf(DatasetBusyError);
    await handle.db.update(trainingRuns).set({ status: "failed" }).where(eq(trainingRuns.id, run.id));
    const deleted = await deleteDataset(handle.db, actor, v1.datasetId);
    expect(deleted).toMatchObject({ name, filesDeleted: 2 });
    expect(await leftovers(handle.db)).toEqual(before);
    expect(
      await handle.db.select().from(datasetVersions).where(eq(datasetVersions.datasetId, v1.datasetId)),
    ).toEqual([]);
    const { entries } = await listAudit(handle.db, { limit: 1, action: "dataset.deleted" });
    expect(entries[0]).toMatchObject({
      targetId: String(v1.datasetId),
      details: { name, versions: [1, 2], rows: 400 },
    });
  });

  describe.skipIf(skipTelco)("the Telco file", () => {
    let imported: ReturnType<typeof importDatasetFromFile> | undefined;
    /** One import for every test of the group, made by whichever runs first: they read it, none changes it. */
    const telco = () => {
      imported ??= (async () => {
        const started = performance.now();
        const result = await importDatasetFromFile(handle.db, actor, {
          filePath: TELCO_CSV,
          name: "Telco customers",
        });
        const seconds = (performance.now() - started) / 1000;
        console.log(
          `[bench] Telco import on ${kind}: ${seconds.toFixed(2)} s (import step ${result.durationMs} ms)`,
        );
        return result;
      })();
      return imported;
    };

    it("imports 7,043 customers with a 26.5 % churn rate in one go", async () => {
      const first = await telco();
      expect(first).toMatchObject({ version: 1, rowCount: 7_043, name: "Telco customers" });
      expect(first.positiveRate).toBeCloseTo(1_869 / 7_043, 6);
      expect((first.positiveRate as number) * 100).toBeCloseTo(26.5, 1);

      const bytes = readFileSync(TELCO_CSV);
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      expect(first.sha256).toBe(sha256);
      expect(first.storageKey).toBe(`datasets/${first.datasetId}/v1/${sha256}.csv`);
      expect(await storedKeys(getStorage(), `datasets/${first.datasetId}/v1/`)).toEqual([first.storageKey]);
      expect(Buffer.from(await getStorage().getBytes(first.storageKey)).equals(bytes)).toBe(true);

      const detail = await getDataset(handle.db, first.datasetId);
      const selected = detail.selected!;
      expect(selected).toMatchObject({
        version: 1,
        rowCount: 7_043,
        columnCount: 21,
        fileName: "telco-customer-churn.csv",
      });
      expect(selected.schema).toMatchObject({
        target: "Churn",
        positiveLabel: "Yes",
        identifier: "customerID",
        rowCount: 7_043,
        classCounts: { positive: 1_869, negative: 5_174, missing: 0 },
      });
      const total = selected.schema.columns.find((c) => c.name === "TotalCharges")!;
      expect(total.type).toBe("numeric");
      expect(total.stats.missing).toBe(11);
      const profile = selected.profile;
      expect(profile).toMatchObject({ rowCount: 7_043, labelledRows: 7_043, positives: 1_869 });
      expect(profile.churnRate).toBeCloseTo(0.2654, 4);
      const totalProfile = profile.columns.find((c) => c.name === "TotalCharges")!;
      expect(totalProfile).toMatchObject({ type: "numeric", missing: 11, distributionKind: "bins" });
      expect(totalProfile.missingRate).toBeCloseTo(11 / 7_043, 8);
      expect(totalProfile.distribution!.reduce((n, b) => n + b.count, 0)).toBe(7_032);
      const contract = profile.columns.find((c) => c.name === "Contract")!;
      expect(contract.distributionKind).toBe("categories");
      const monthToMonth = contract.distribution!.find((b) => b.label === "Month-to-month")!;
      expect(monthToMonth.count).toBe(3_875);
      expect(monthToMonth.churnRate).toBeCloseTo(1_655 / 3_875, 6);
      const id = profile.columns.find((c) => c.name === "customerID")!;
      expect(id).toMatchObject({ role: "identifier", distinct: 7_043, distribution: null });

      const [row] = await handle.db
        .select()
        .from(customers)
        .where(
          and(eq(customers.datasetVersionId, first.datasetVersionId), eq(customers.externalId, "7590-VHVEG")),
        );
      expect(row).toMatchObject({ rowNumber: 1, label: 0, monthlyValue: expect.closeTo(29.85, 5) });
      expect(row.features).toMatchObject({
        customerID: "7590-VHVEG",
        gender: "Female",
        tenure: 1,
        TotalCharges: 29.85,
        Churn: "No",
      });
      const blanks = await handle.db
        .select({ f: customers.features })
        .from(customers)
        .where(eq(customers.datasetVersionId, first.datasetVersionId));
      expect(blanks.filter((c) => c.f.TotalCharges === null)).toHaveLength(11);

      const { entries } = await listAudit(handle.db, { limit: 50, action: "dataset.imported" });
      const imported = entries.filter(
        (e) => e.targetId === String(first.datasetId) && e.details.version === 1,
      );
      expect(imported).toHaveLength(1);
      expect(imported[0]).toMatchObject({
        actorId: actor.id,
        targetType: "dataset",
        targetId: String(first.datasetId),
        ip: "203.0.113.9",
        details: { name: "Telco customers", version: 1, rows: 7_043, sha256 },
      });
    });

    it("gives the training pipeline the rows back as parsed CSV", async () => {
      const first = await telco();
      const data = await loadDatasetVersionRows(handle.db, first.datasetVersionId, { pageSize: 3_000 });
      expect(data.columns).toHaveLength(21);
      expect(data.columns[0]).toBe("customerID");
      expect(data.rows).toHaveLength(7_043);
      expect(data.rowNumbers.slice(0, 3)).toEqual([1, 2, 3]);
      expect(data.externalIds[0]).toBe("7590-VHVEG");
      expect(data.customerIds).toHaveLength(7_043);
      expect(data.labels.reduce((n, l) => n + (l === 1 ? 1 : 0), 0)).toBe(1_869);
      const set = buildTrainingSet({ columns: data.columns, rows: data.rows }, data.schema);
      expect(set.frame.rowCount).toBe(7_043);
      expect(set.labels.reduce((n, l) => n + l, 0)).toBe(1_869);
      const total = set.frame.columns.find((c) => c.name === "TotalCharges");
      expect(total?.kind).toBe("numeric");
      if (total?.kind === "numeric") expect(total.values.filter((v) => Number.isNaN(v))).toHaveLength(11);
    });

    it("imports a re-upload under the same name as the next version, and deletes both", async () => {
      // A dataset of its own, so the import the other tests read stays as it is.
      const first = await telco();
      const name = "Telco customers, uploaded twice";
      const v1 = await importDatasetFromFile(handle.db, actor, { filePath: TELCO_CSV, name });
      const second = await importDatasetFromFile(handle.db, actor, { filePath: TELCO_CSV, name });
      expect(second).toMatchObject({ datasetId: v1.datasetId, version: 2, rowCount: 7_043 });
      expect(second.storageKey).toBe(`datasets/${v1.datasetId}/v2/${first.sha256}.csv`);
      const list = await listDatasets(handle.db);
      const listed = list.find((d) => d.id === v1.datasetId)!;
      expect(listed).toMatchObject({ versionCount: 2, latest: { version: 2, rowCount: 7_043 } });
      const older = await getDataset(handle.db, v1.datasetId, v1.datasetVersionId);
      expect(older.selected?.version).toBe(1);
      expect(older.versions.map((v) => v.version)).toEqual([2, 1]);
      const deleted = await deleteDataset(handle.db, actor, v1.datasetId);
      expect(deleted).toMatchObject({ name, filesDeleted: 2 });
      expect(await storedKeys(getStorage(), `datasets/${v1.datasetId}/`)).toEqual([]);
      const { entries } = await listAudit(handle.db, { limit: 1, action: "dataset.deleted" });
      expect(entries[0].details).toMatchObject({ name, versions: [1, 2], rows: 14_086 });
    });
  });
});
