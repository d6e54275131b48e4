/**
 * Reading and deleting datasets: the list and profile pages, and the rows the training pipeline
 * trains on (loadDatasetVersionRows).
 */
import path from "node:path";
import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import { type DatasetSchema, parseDatasetSchema } from "@/lib/ml/data";
import type { Database } from "../../db/client";
import {
  customers,
  datasets,
  datasetVersions,
  models,
  scoreBatches,
  trainingRuns,
  users,
} from "../../db/schema";
import { logger } from "../../log";
import { type FileStorage, getStorage } from "../../storage";
import { type Actor, recordAudit } from "../audit";
import { DatasetBusyError, DatasetNotFoundError } from "./errors";
import type { DatasetProfile } from "./profile";

export interface DatasetVersionSummary {
  id: number;
  version: number;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  rowCount: number;
  columnCount: number;
  /** Churn rate of the labelled rows, 0..1. */
  positiveRate: number | null;
  createdAt: Date;
  createdByName: string | null;
}

export interface DatasetListItem {
  id: number;
  name: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  versionCount: number;
  latest: DatasetVersionSummary | null;
}

const versionSummaryColumns = {
  id: datasetVersions.id,
  datasetId: datasetVersions.datasetId,
  version: datasetVersions.version,
  fileName: datasetVersions.fileName,
  sizeBytes: datasetVersions.sizeBytes,
  sha256: datasetVersions.sha256,
  rowCount: datasetVersions.rowCount,
  columnCount: datasetVersions.columnCount,
  positiveRate: datasetVersions.positiveRate,
  createdAt: datasetVersions.createdAt,
  createdByName: users.name,
};

/** Every dataset with its latest version, most recently imported first. */
export async function listDatasets(db: Database): Promise<DatasetListItem[]> {
  const rows = await db.select().from(datasets);
  const versions = await db
    .select(versionSummaryColumns)
    .from(datasetVersions)
    .leftJoin(users, eq(users.id, datasetVersions.createdById))
    .orderBy(asc(datasetVersions.datasetId), desc(datasetVersions.version));
  const byDataset = new Map<number, DatasetVersionSummary[]>();
  for (const { datasetId, ...v } of versions) {
    const list = byDataset.get(datasetId) ?? [];
    list.push(v);
    byDataset.set(datasetId, list);
  }
  return rows
    .map((d) => {
      const list = byDataset.get(d.id) ?? [];
      return {
        id: d.id,
        name: d.name,
        description: d.description,
        createdAt: d.createdAt,
        updatedAt: d.updatedAt,
        versionCount: list.length,
        latest: list[0] ?? null,
      };
    })
    .sort(
      (a, b) =>
        (b.latest?.createdAt.getTime() ?? b.updatedAt.getTime()) -
          (a.latest?.createdAt.getTime() ?? a.updatedAt.getTime()) || b.id - a.id,
    );
}

export interface DatasetDetail {
  id: number;
  name: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  /** Newest first. */
  versions: DatasetVersionSummary[];
  /** The requested version (default: the latest) with its schema and profile; null if none. */
  selected:
    | (DatasetVersionSummary & { storageKey: string; schema: DatasetSchema; profile: DatasetProfile })
    | null;
}

/** A dataset with its versions and one version's schema and profile. DatasetNotFoundError if absent. */
export async function getDataset(
  db: Database,
  datasetId: number,
  versionId?: number,
): Promise<DatasetDetail> {
  const [dataset] = await db.select().from(datasets).where(eq(datasets.id, datasetId));
  if (!dataset) throw new DatasetNotFoundError(`Dataset ${datasetId}`);
  const versions = (
    await db
      .select(versionSummaryColumns)
      .from(datasetVersions)
      .leftJoin(users, eq(users.id, datasetVersions.createdById))
      .where(eq(datasetVersions.datasetId, datasetId))
      .orderBy(desc(datasetVersions.version))
  ).map(({ datasetId: _omit, ...v }) => v);
  const wanted = versionId ?? versions[0]?.id;
  let selected: DatasetDetail["selected"] = null;
  if (wanted !== undefined) {
    const summary = versions.find((v) => v.id === wanted);
    if (!summary) throw new DatasetNotFoundError(`Version ${versionId} of "${dataset.name}"`);
    const [row] = await db
      .select({
        storageKey: datasetVersions.storageKey,
        schema: datasetVersions.schema,
        profile: datasetVersions.profile,
      })
      .from(datasetVersions)
      .where(eq(datasetVersions.id, wanted));
    selected = {
      ...summary,
      storageKey: row.storageKey,
      schema: row.schema as DatasetSchema,
      profile: row.profile as DatasetProfile,
    };
  }
  return {
    id: dataset.id,
    name: dataset.name,
    description: dataset.description,
    createdAt: dataset.createdAt,
    updatedAt: dataset.updatedAt,
    versions,
    selected,
  };
}

/** A version's record with its schema (validated); DatasetNotFoundError if absent. */
export async function getDatasetVersion(db: Database, datasetVersionId: number) {
  const [row] = await db.select().from(datasetVersions).where(eq(datasetVersions.id, datasetVersionId));
  if (!row) throw new DatasetNotFoundError(`Dataset version ${datasetVersionId}`);
  return { ...row, schema: parseDatasetSchema(row.schema), profile: row.profile as DatasetProfile };
}

/**
 * Everything the training pipeline needs from one dataset version, read from the customers table.
 *
 * - `columns` + `rows` form lib/ml/data's `TabularData`: pass `{ columns, rows }` with `schema` to
 *   `buildTrainingSet` / `buildFrame` exactly as if the CSV had been parsed again.
 * - `rows[i]` has one string per column, in `columns` order (the file's header order): the value
 *   as stored (numbers of numeric columns printed back with String(), text trimmed), "" when
 *   missing. Rows are in file order (`rowNumbers[i]` is the 1-based data row of the file).
 * - `customerIds[i]` is customers.id of row i (for writing scores), `externalIds[i]` its customer
 *   id (the identifier column's value, or the row number as text when there is no identifier).
 * - `labels[i]` is 1 (churned), 0 (retained) or -1 (target missing), already derived from the
 *   schema's target and positive label.
 */
export interface DatasetVersionRows {
  datasetId: number;
  datasetVersionId: number;
  version: number;
  schema: DatasetSchema;
  columns: string[];
  rows: string[][];
  customerIds: number[];
  externalIds: string[];
  rowNumbers: number[];
  labels: Int8Array;
}

/** Reads a version's customers in pages of `pageSize` (keyset on row number; default 5,000). */
export async function loadDatasetVersionRows(
  db: Database,
  datasetVersionId: number,
  options: { pageSize?: number } = {},
): Promise<DatasetVersionRows> {
  const version = await getDatasetVersion(db, datasetVersionId);
  const schema = version.schema;
  const columns = [...schema.columns].sort((a, b) => a.index - b.index).map((c) => c.name);
  const pageSize = options.pageSize ?? 5_000;
  const rows: string[][] = [];
  const customerIds: number[] = [];
  const externalIds: string[] = [];
  const rowNumbers: number[] = [];
  const labels: number[] = [];
  let after = 0;
  for (;;) {
    const page = await db
      .select({
        id: customers.id,
        rowNumber: customers.rowNumber,
        externalId: customers.externalId,
        features: customers.features,
        label: customers.label,
      })
      .from(customers)
      .where(and(eq(customers.datasetVersionId, datasetVersionId), gt(customers.rowNumber, after)))
      .orderBy(asc(customers.rowNumber))
      .limit(pageSize);
    for (const c of page) {
      const features = c.features;
      rows.push(
        columns.map((name) => {
          const value = Object.hasOwn(features, name) ? features[name] : null;
          return value === null || value === undefined ? "" : String(value);
        }),
      );
      customerIds.push(Number(c.id));
      externalIds.push(c.externalId);
      rowNumbers.push(c.rowNumber);
      labels.push(c.label ?? -1);
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1].rowNumber;
  }
  return {
    datasetId: version.datasetId,
    datasetVersionId,
    version: version.version,
    schema,
    columns,
    rows,
    customerIds,
    externalIds,
    rowNumbers,
    labels: Int8Array.from(labels),
  };
}

/**
 * Deletes a dataset with all its versions, customers, runs, models, scores and scored files
 * (database cascade), audited, then its files (raw files, model artifacts, and each scored file's
 * folder: the upload and its chunks). Refused while a training run on it is queued or running.
 */
export async function deleteDataset(
  db: Database,
  actor: Actor,
  datasetId: number,
  options: { storage?: FileStorage } = {},
): Promise<{ id: number; name: string; filesDeleted: number }> {
  const storage = options.storage ?? getStorage();
  const { name, keys, batchFolders } = await db.transaction(async (tx) => {
    const [dataset] = await tx.select().from(datasets).where(eq(datasets.id, datasetId)).for("update");
    if (!dataset) throw new DatasetNotFoundError(`Dataset ${datasetId}`);
    const [active] = await tx
      .select({ id: trainingRuns.id })
      .from(trainingRuns)
      .where(and(eq(trainingRuns.datasetId, datasetId), inArray(trainingRuns.status, ["queued", "running"])))
      .limit(1);
    if (active) throw new DatasetBusyError(dataset.name);
    const versionFiles = await tx
      .select({
        key: datasetVersions.storageKey,
        version: datasetVersions.version,
        rows: datasetVersions.rowCount,
      })
      .from(datasetVersions)
      .where(eq(datasetVersions.datasetId, datasetId))
      .orderBy(asc(datasetVersions.version));
    const artifacts = await tx
      .select({ key: models.artifactKey })
      .from(models)
      .where(eq(models.datasetId, datasetId));
    const batchFiles = await tx
      .select({ key: scoreBatches.storageKey })
      .from(scoreBatches)
      .where(eq(scoreBatches.datasetId, datasetId));
    await tx.delete(datasets).where(eq(datasets.id, datasetId));
    await recordAudit(tx, actor, {
      action: "dataset.deleted",
      targetType: "dataset",
      targetId: datasetId,
      details: {
        name: dataset.name,
        versions: versionFiles.map((v) => v.version),
        rows: versionFiles.reduce((n, v) => n + v.rows, 0),
        models: artifacts.length,
      },
    });
    return {
      name: dataset.name,
      keys: [...versionFiles.map((v) => v.key), ...artifacts.map((a) => a.key)],
      // Each scored file has a folder of its own (score-batches/<upload id>/): never a shared parent.
      batchFolders: batchFiles
        .map((b) => path.posix.dirname(b.key))
        .filter((folder) => folder.split("/").length >= 2)
        .map((folder) => `${folder}/`),
    };
  });
  // After the commit: a file without a record is harmless, a record without its file is not.
  for (const folder of batchFolders) {
    try {
      for await (const file of storage.list(folder)) keys.push(file.key);
    } catch (error) {
      logger("datasets").error(
        { err: error },
        `could not list scored-file folder ${folder} of dataset ${datasetId}`,
      );
    }
  }
  let filesDeleted = 0;
  for (const key of keys) {
    try {
      await storage.delete(key);
      filesDeleted++;
    } catch (error) {
      logger("datasets").error(
        { err: error },
        `could not delete file ${key} of deleted dataset ${datasetId}`,
      );
    }
  }
  return { id: datasetId, name, filesDeleted };
}
