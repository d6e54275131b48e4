/**
 * Importing a staged upload: one transaction creates (or reuses, by name) the dataset, adds the
 * next version with its schema and profile, inserts every customer row in batches, and writes the
 * audit entry; the raw file moves to its permanent key `datasets/<id>/v<version>/<sha256>.csv`.
 * If anything fails the transaction rolls back and the permanent file goes: no dataset, version,
 * customer or file is left behind. A failure the user can fix in the preview (a DatasetError or
 * IdentifierError) keeps the staged upload so they can change their choices and confirm again;
 * any other failure removes it too.
 */
import { createReadStream } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import {
  assertTrainable,
  cleanCell,
  compactName,
  createFrameBuilder,
  DatasetError,
  type DatasetSchema,
  labelOf,
  nameTokens,
  parseNumber,
  readCsvBatches,
  withReferenceDate,
} from "@/lib/ml/data";
import type { Database } from "../../db/client";
import { datasets, datasetVersions } from "../../db/schema";
import { FieldValidationError } from "../../errors";
import { logger } from "../../log";
import { FileNotFoundError, type FileStorage, getStorage } from "../../storage";
import { type Actor, recordAudit } from "../audit";
import { checkDriftAfterImport } from "../drift/requests";
import { resolveOutcomesAfterImport } from "../outcomes/record";
import { type CustomerValues, type CustomerWriteMode, writeCustomerBatch } from "./customer-copy";
import { IdentifierError, UploadNotFoundError } from "./errors";
import { computeProfile, type DatasetProfile } from "./profile";
import { discardFiles, forgetStagedUpload, inspectStagedUpload, stagedFileKey, stageUpload } from "./uploads";

export const DATASET_NAME_MAX = 100;

const columnName = z.string().min(1).max(500);

/** The preview's controls (see ColumnOverrides). */
export const columnOverridesInputSchema = z
  .object({
    target: columnName.optional(),
    identifier: columnName.nullable().optional(),
    excluded: z.array(columnName).max(5_000).optional(),
  })
  .default({});

/** The import form: shared by the tRPC procedure and the service (which re-validates). */
export const importDatasetInputSchema = z
  .object({
    uploadId: z.uuid("This upload id is not valid; upload the file again."),
    name: z
      .string()
      .trim()
      .min(1, "Give the dataset a name")
      .max(DATASET_NAME_MAX, `Keep the name under ${DATASET_NAME_MAX} characters`),
    description: z.string().trim().max(2_000).optional(),
    overrides: columnOverridesInputSchema,
  })
  .superRefine((input, ctx) => {
    const { target, identifier, excluded } = input.overrides;
    if (target !== undefined && identifier === target) {
      ctx.addIssue({
        code: "custom",
        path: ["overrides", "identifier"],
        message: `"${target}" cannot be both the target and the identifier.`,
      });
    }
    for (const [name, role] of [
      [target, "target"],
      [identifier, "identifier"],
    ] as const) {
      if (name && excluded?.includes(name)) {
        ctx.addIssue({
          code: "custom",
          path: ["overrides", "excluded"],
          message: `"${name}" is the ${role}; it cannot also be excluded.`,
        });
      }
    }
  });
export type ImportDatasetInput = z.input<typeof importDatasetInputSchema>;

export interface ImportResult {
  datasetId: number;
  datasetVersionId: number;
  version: number;
  name: string;
  rowCount: number;
  /** Churn rate of the labelled rows, 0..1. */
  positiveRate: number | null;
  storageKey: string;
  sha256: string;
  durationMs: number;
}

export interface ImportOptions {
  storage?: FileStorage;
  /** Customers per COPY (or INSERT) statement. Default 1,000. */
  batchSize?: number;
  /** "copy" (default) streams rows with COPY; "insert" uses INSERT … jsonb_to_recordset (tests, benchmarks). */
  writeMode?: CustomerWriteMode;
  /** Test seam: runs after each batch is inserted, inside the transaction (throw to abort). */
  onBatchInserted?: (batchIndex: number, rowsInserted: number) => void | Promise<void>;
}

function isUserFixable(error: unknown): boolean {
  return error instanceof DatasetError || error instanceof IdentifierError;
}

/** Imports a staged upload as the next version of the dataset named `input.name`. */
export async function importDataset(
  db: Database,
  actor: Actor,
  input: ImportDatasetInput,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const started = performance.now();
  const parsed = importDatasetInputSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join(".") || "input";
      fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message];
    }
    throw new FieldValidationError(fieldErrors);
  }
  const { uploadId, name, description, overrides } = parsed.data;
  const storage = options.storage ?? getStorage();
  const inspected = await inspectStagedUpload(uploadId, actor, overrides, storage);
  const schema = inspected.schema;
  assertTrainable(schema);
  const inspectedAt = performance.now();

  let permanentKey: string | null = null;
  let writeMs = 0;
  try {
    const result = await db.transaction(async (tx) => {
      const now = new Date();
      // The upsert locks the dataset row, so concurrent imports under one name get 1, 2, 3...
      const [dataset] = await tx
        .insert(datasets)
        .values({ name, description: description ?? "", createdById: actor.id })
        .onConflictDoUpdate({
          target: datasets.name,
          set: { updatedAt: now, ...(description !== undefined ? { description } : {}) },
        })
        .returning();
      const [{ latest }] = await tx
        .select({ latest: sql<number | null>`max(${datasetVersions.version})` })
        .from(datasetVersions)
        .where(eq(datasetVersions.datasetId, dataset.id));
      const version = Number(latest ?? 0) + 1;
      const key = `datasets/${dataset.id}/v${version}/${inspected.sha256}.csv`;
      try {
        await storage.move(stagedFileKey(uploadId), key);
      } catch (error) {
        // Imported a moment ago by a second click, or removed by the 24 h clean-up.
        if (error instanceof FileNotFoundError) throw new UploadNotFoundError(uploadId);
        throw error;
      }
      permanentKey = key;

      const [versionRow] = await tx
        .insert(datasetVersions)
        .values({
          datasetId: dataset.id,
          version,
          fileName: inspected.fileName,
          storageKey: key,
          sizeBytes: inspected.sizeBytes,
          sha256: inspected.sha256,
          rowCount: 0,
          columnCount: inspected.columns.length,
          schema,
          profile: {},
          createdById: actor.id,
        })
        .returning({ id: datasetVersions.id });

      const loaded = await insertCustomers(tx, versionRow.id, storage.get(key), schema, options);
      writeMs = loaded.writeMs;
      await tx
        .update(datasetVersions)
        .set({
          rowCount: loaded.rowCount,
          positiveRate: loaded.positiveRate,
          schema: loaded.schema,
          profile: loaded.profile,
        })
        .where(eq(datasetVersions.id, versionRow.id));
      await recordAudit(tx, actor, {
        action: "dataset.imported",
        targetType: "dataset",
        targetId: dataset.id,
        details: {
          name,
          version,
          datasetVersionId: versionRow.id,
          fileName: inspected.fileName,
          rows: loaded.rowCount,
          sha256: inspected.sha256,
          target: schema.target,
        },
      });
      // A newer version tells which targets of earlier campaigns churned or stayed: read it now,
      // in this transaction, so the outcomes exist exactly when the version does.
      await resolveOutcomesAfterImport(tx, actor, { datasetId: dataset.id, datasetVersionId: versionRow.id });
      return {
        datasetId: dataset.id,
        datasetVersionId: versionRow.id,
        version,
        name: dataset.name,
        rowCount: loaded.rowCount,
        positiveRate: loaded.positiveRate,
        storageKey: key,
        sha256: inspected.sha256,
      };
    });
    await forgetStagedUpload(storage, uploadId).catch(() => {});
    // A new version of a dataset with a champion: compare it with the champion's training data.
    await checkDriftAfterImport(db, actor, result);
    const durationMs = Math.round(performance.now() - started);
    logger("datasets").info(
      `imported ${result.rowCount} rows as "${result.name}" v${result.version} in ${durationMs} ms ` +
        `(checks ${Math.round(inspectedAt - started)} ms, rows and profile ${Math.round(performance.now() - inspectedAt)} ms, of which database writes ${Math.round(writeMs)} ms)`,
    );
    return { ...result, durationMs };
  } catch (error) {
    const key = permanentKey as string | null;
    if (key && isUserFixable(error)) {
      // Back to staging, so the preview can be corrected and confirmed again.
      await storage.move(key, stagedFileKey(uploadId)).catch(() => storage.delete(key));
    } else {
      if (key) await storage.delete(key).catch(() => {});
      if (!isUserFixable(error)) await discardFiles(storage, uploadId);
    }
    throw error;
  }
}

interface LoadedCustomers {
  rowCount: number;
  /** Time spent waiting for the database to take the rows (the rest is parsing and profiling). */
  writeMs: number;
  positiveRate: number | null;
  schema: DatasetSchema;
  profile: DatasetProfile;
}

/** The column holding monthly revenue (Telco's MonthlyCharges), when the schema has a numeric one. */
export function monthlyValueColumn(schema: DatasetSchema): string | null {
  const MONEY = new Set([
    "charge",
    "charges",
    "fee",
    "fees",
    "revenue",
    "spend",
    "amount",
    "bill",
    "payment",
    "price",
    "value",
  ]);
  for (const column of schema.columns) {
    if (column.type !== "numeric" || column.role === "target") continue;
    const compact = compactName(column.name);
    if (compact === "mrr" || compact === "arpu") return column.name;
    const tokens = nameTokens(column.name);
    if (tokens.includes("monthly") && tokens.some((t) => MONEY.has(t))) return column.name;
  }
  return null;
}

async function insertCustomers(
  tx: Database,
  versionId: number,
  chunks: AsyncIterable<Uint8Array>,
  schema: DatasetSchema,
  options: ImportOptions,
): Promise<LoadedCustomers> {
  let header: string[] | null = null;
  let frameBuilder: ReturnType<typeof createFrameBuilder> | null = null;
  const labels: number[] = [];
  const identifier = schema.identifier;
  const monthly = monthlyValueColumn(schema);
  const seenIds = new Map<string, { row: number; hash: number }>();
  let repeatedRows = 0;
  let positives = 0;
  let negatives = 0;
  let rowCount = 0;
  let batchIndex = 0;
  let writeMs = 0;
  let readers: ((raw: string) => string | number | null)[] = [];
  let targetIndex = -1;
  let identifierIndex = -1;
  let monthlyIndex = -1;

  const batches = readCsvBatches(chunks, {
    batchSize: options.batchSize ?? 1_000,
    maxBytes: Number.POSITIVE_INFINITY,
  });
  for await (const batch of batches) {
    if (!header) {
      header = batch.columns;
      frameBuilder = createFrameBuilder(header, schema);
      readers = header.map((name) => {
        const column = schema.columns.find((c) => c.name === name);
        if (column?.type === "numeric") {
          return (raw: string) => {
            const cell = cleanCell(raw);
            if (cell === null) return null;
            const n = parseNumber(cell, column.decimalComma);
            return Number.isFinite(n) ? n : null;
          };
        }
        return (raw: string) => cleanCell(raw);
      });
      targetIndex = schema.target ? header.indexOf(schema.target) : -1;
      identifierIndex = identifier ? header.indexOf(identifier) : -1;
      monthlyIndex = monthly ? header.indexOf(monthly) : -1;
    }
    const cols = header;
    const keptRows: string[][] = [];
    const values: CustomerValues[] = [];
    batch.rows.forEach((row, i) => {
      const rowNumber = batch.firstRowIndex + i + 1;
      let idText: string | null = null;
      let rowHash = 0;
      if (identifierIndex >= 0) {
        const id = cleanCell(row[identifierIndex]);
        if (id === null) {
          throw new IdentifierError(
            `Data row ${rowNumber} has no value in "${identifier}", so "${identifier}" cannot identify customers. Choose another identifier or none.`,
          );
        }
        rowHash = hashRow(row);
        const first = seenIds.get(id);
        if (first !== undefined) {
          // A line the export wrote twice (same id, same values) is one customer: skip the repeat.
          if (first.hash === rowHash) {
            repeatedRows++;
            return;
          }
          throw new IdentifierError(
            `Data rows ${first.row} and ${rowNumber} have the same ${identifier} "${id}" but different values: an identifier must be unique. Choose another identifier or none.`,
          );
        }
        seenIds.set(id, { row: rowNumber, hash: rowHash });
        idText = id;
      }
      keptRows.push(row);
      // fromEntries defines own properties, so a column named "__proto__" is data like any other.
      const entries: [string, string | number | null][] = new Array(cols.length);
      for (let j = 0; j < cols.length; j++) entries[j] = [cols[j], readers[j](row[j])];
      const features: Record<string, string | number | null> = Object.fromEntries(entries);
      const label = targetIndex >= 0 ? labelOf(row[targetIndex], schema) : null;
      labels.push(label ?? -1);
      if (label === 1) positives++;
      else if (label === 0) negatives++;
      const externalId = idText ?? String(rowNumber);
      const monthlyValue = monthlyIndex >= 0 ? (features[cols[monthlyIndex]] as number | null) : null;
      values.push({ rowNumber, externalId, features, label, monthlyValue });
    });
    const writeStarted = performance.now();
    if (values.length > 0) await writeCustomerBatch(tx, versionId, values, options.writeMode);
    writeMs += performance.now() - writeStarted;
    frameBuilder?.append(keptRows);
    rowCount += values.length;
    await options.onBatchInserted?.(batchIndex++, rowCount);
  }
  if (!frameBuilder) throw new DatasetError("HEADER_ONLY", "The file has no data rows.");
  const frame = frameBuilder.finish();
  const hasTarget = targetIndex >= 0;
  const profile = computeProfile(frame, schema, hasTarget ? Int8Array.from(labels) : null);
  const labelled = positives + negatives;
  // Date features are days before the file's latest date: over every row, not the preview's sample.
  const latest = new Map<string, number>();
  for (const column of frame.columns) {
    if (column.kind !== "numeric" || schema.columns.find((c) => c.name === column.name)?.type !== "date")
      continue;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of column.values) if (v > max) max = v;
    if (Number.isFinite(max)) latest.set(column.name, max);
  }
  if (repeatedRows > 0) {
    logger("datasets").info(
      `skipped ${repeatedRows} row(s) repeating an earlier row with the same identifier`,
    );
  }
  return {
    rowCount,
    writeMs,
    positiveRate: hasTarget && labelled > 0 ? positives / labelled : null,
    schema: withReferenceDate(
      {
        ...schema,
        rowCount,
        classCounts: hasTarget
          ? { positive: positives, negative: negatives, missing: rowCount - labelled }
          : null,
      },
      latest,
    ),
    profile,
  };
}

/**
 * A 53-bit hash of a row's trimmed cells (FNV-1a and djb2, 32 and 21 bits), to tell a repeated
 * line from a different row with the same id without keeping every row.
 */
function hashRow(row: readonly string[]): number {
  let fnv = 0x811c9dc5;
  let djb = 5381;
  for (const cell of row) {
    const text = cleanCell(cell) ?? "";
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      fnv = Math.imul(fnv ^ c, 0x01000193);
      djb = (Math.imul(djb, 33) + c) | 0;
    }
    fnv = Math.imul(fnv ^ 0x1f, 0x01000193);
    djb = (Math.imul(djb, 33) + 0x1f) | 0;
  }
  return (fnv >>> 0) * 2 ** 21 + ((djb >>> 0) & 0x1fffff);
}

export interface ImportFromFileInput {
  /** A CSV on disk (streamed) or its bytes. */
  filePath?: string;
  bytes?: Uint8Array;
  name: string;
  description?: string;
  /** Shown as the version's file name. Default: the file's base name, or "upload.csv". */
  fileName?: string;
  overrides?: ImportDatasetInput["overrides"];
}

/**
 * Stages and imports a file in one call (the seed, the demo start-up, tests). Upload-stage errors
 * are thrown as by the upload route (UploadTooLargeError, DatasetError); a failed import removes
 * the staged file as well, since nobody is left to correct the preview.
 */
export async function importDatasetFromFile(
  db: Database,
  actor: Actor,
  input: ImportFromFileInput,
  options: ImportOptions & { maxBytes?: number } = {},
): Promise<ImportResult> {
  if (!input.filePath === !input.bytes) throw new Error("Pass exactly one of filePath and bytes");
  const storage = options.storage ?? getStorage();
  const body: AsyncIterable<Uint8Array> = input.filePath
    ? (createReadStream(input.filePath, { highWaterMark: 256 * 1024 }) as AsyncIterable<Uint8Array>)
    : (async function* () {
        yield input.bytes as Uint8Array;
      })();
  const fileName = input.fileName ?? (input.filePath ? path.basename(input.filePath) : "upload.csv");
  const preview = await stageUpload(body, { fileName, actor, storage, maxBytes: options.maxBytes });
  try {
    return await importDataset(
      db,
      actor,
      {
        uploadId: preview.uploadId,
        name: input.name,
        description: input.description,
        overrides: input.overrides,
      },
      { ...options, storage },
    );
  } catch (error) {
    await discardFiles(storage, preview.uploadId);
    throw error;
  }
}
