/**
 * The steps of the `score-batch` durable function. Each is idempotent and re-derives what it needs
 * from the database and storage, so a retried or resumed step redoes only its own work:
 *
 * - load: reads the stored file once and writes one small JSON file per chunk (only the model's
 *   columns and the identifier), so a chunk step reads its own rows instead of re-parsing the
 *   file up to them, and no process ever holds more than one chunk.
 * - score-chunk-<n>: scores its rows with the model recorded at start (lenient: unreadable values
 *   and unseen categories become warnings), then in one transaction deletes whatever an earlier
 *   attempt wrote for those row numbers, inserts the rows and updates the progress.
 * - finalise: the summary (counts per level, mean risk, rows with warnings), status succeeded.
 *
 * onFailure (failBatch) removes every row of the batch and records a readable error.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { and, avg, count, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { NonRetriableError } from "@/jobs/types";
import type { RawRecord } from "@/lib/ml";
import { readCsvBatches } from "@/lib/ml/data";
import { type Playbook, recommendedAction } from "@/lib/retention";
import type { Database } from "../../db/client";
import { batchScores, scoreBatches } from "../../db/schema";
import { type FileStorage, getStorage } from "../../storage";
import type { CustomerPrediction } from "../predictions";
import { getPlaybook } from "../retention";
import { type RiskDriver, topDrivers } from "../scoring";
import { matchColumns } from "./columns";
import { type BatchModel, loadBatchModel } from "./model";
import { publishBatchProgress } from "./publish";

/** Rows per chunk step: small enough that a step is a few seconds, large enough that steps are few. */
export const DEFAULT_CHUNK_ROWS = 10_000;
/**
 * Rows per explain call: the per-call cost (building the feature frame) is amortised by 2,500
 * (measured: 5,000-row calls explain 20,000 boosting rows 30 % faster than 1,000-row calls), and
 * the web server's event loop is never blocked for more than a few hundred milliseconds.
 */
const EXPLAIN_ROWS = 2_500;
/** Rows per INSERT (one jsonb parameter each). */
const INSERT_ROWS = 5_000;

export type BatchRecord = typeof scoreBatches.$inferSelect;

export interface BatchSummary {
  levels: { low: number; medium: number; high: number };
  meanRiskScore: number;
  rowsWithWarnings: number;
  /** Model inputs the file lacks: imputed on every row. */
  missingColumns: string[];
  /** File columns the model does not use. */
  ignoredColumns: string[];
  identifier: string | null;
  modelVersion: number;
}

interface ChunkFile {
  firstRow: number;
  /** The model inputs present in the file, in this order in `rows`. */
  columns: string[];
  ids: (string | null)[];
  rows: string[][];
}

export function chunkCount(rowCount: number, chunkRows: number): number {
  return Math.max(1, Math.ceil(rowCount / chunkRows));
}

const chunkKey = (batch: BatchRecord, n: number) => `${path.posix.dirname(batch.storageKey)}/chunk-${n}.json`;

async function activeBatch(db: Database, batchId: number): Promise<BatchRecord> {
  const [batch] = await db.select().from(scoreBatches).where(eq(scoreBatches.id, batchId));
  if (!batch)
    throw new NonRetriableError(
      `Scoring batch ${batchId} does not exist (its dataset may have been deleted)`,
    );
  if (batch.status === "cancelled") throw new NonRetriableError(`Scoring batch ${batchId} was cancelled`);
  if (batch.status === "failed") throw new NonRetriableError(`Scoring batch ${batchId} has already failed`);
  return batch;
}

/** Step `load`: checks the stored file and splits it into chunk files. */
export async function loadBatchStep(
  db: Database,
  batchId: number,
  chunkRows: number,
  storage: FileStorage = getStorage(),
): Promise<{ rowCount: number; chunks: number; used: string[]; missing: string[] }> {
  const batch = await activeBatch(db, batchId);
  const { columns: model } = await loadBatchModel(db, batch.modelId);
  const [running] = await db
    .update(scoreBatches)
    .set({ status: "running", startedAt: batch.startedAt ?? new Date() })
    .where(and(eq(scoreBatches.id, batchId), inArray(scoreBatches.status, ["queued", "running"])))
    .returning();
  if (!running) throw new NonRetriableError(`Scoring batch ${batchId} was cancelled`);
  await publishBatchProgress(batch.datasetId, {
    batchId,
    status: "running",
    rowsScored: running.rowsScored,
    rowCount: batch.rowCount,
  });

  const hash = createHash("sha256");
  async function* hashed() {
    for await (const chunk of storage.get(batch.storageKey)) {
      hash.update(chunk);
      yield chunk;
    }
  }
  const batches = readCsvBatches(hashed(), { maxBytes: Number.POSITIVE_INFINITY, batchSize: 2_000 });
  let used: string[] = [];
  let missing: string[] = [];
  let usedIndex: number[] = [];
  let idIndex = -1;
  let pending: ChunkFile | null = null;
  let n = 0;
  let rows = 0;
  const flush = async (chunk: ChunkFile) => {
    n += 1;
    await storage.put(chunkKey(batch, n), new TextEncoder().encode(JSON.stringify(chunk)));
  };
  for (;;) {
    const next = await batches.next();
    if (next.done) break;
    if (rows === 0) {
      const header = next.value.columns;
      const match = matchColumns(header, model);
      used = match.used;
      missing = match.missing;
      usedIndex = used.map((name) => header.indexOf(name));
      const identifier = (batch.summary as { identifier?: string | null } | null)?.identifier ?? null;
      idIndex = identifier === null ? -1 : header.indexOf(identifier);
    }
    for (const row of next.value.rows) {
      pending ??= { firstRow: rows + 1, columns: used, ids: [], rows: [] };
      pending.ids.push(idIndex >= 0 ? row[idIndex].trim() || null : null);
      pending.rows.push(usedIndex.map((i) => row[i]));
      rows += 1;
      if (pending.rows.length >= chunkRows) {
        await flush(pending);
        pending = null;
      }
    }
  }
  if (pending) await flush(pending);
  if (hash.digest("hex") !== batch.sha256 || rows !== batch.rowCount) {
    throw new NonRetriableError("The uploaded file changed after it was checked; upload it again.");
  }
  return { rowCount: rows, chunks: n, used, missing };
}

interface ScoredRow {
  n: number;
  e: string | null;
  s: number;
  l: string;
  d: RiskDriver[];
  a: string | null;
  w: { field: string; code: string }[] | null;
}

/** Step `score-chunk-<n>`: scores one chunk and replaces its rows. Returns the rows written. */
export async function scoreChunkStep(
  db: Database,
  batchId: number,
  n: number,
  storage: FileStorage = getStorage(),
): Promise<{ chunk: number; rows: number; firstRow: number }> {
  const batch = await activeBatch(db, batchId);
  const [model, playbook] = await Promise.all([loadBatchModel(db, batch.modelId), getPlaybook(db)]);
  const chunk = JSON.parse(new TextDecoder().decode(await storage.getBytes(chunkKey(batch, n)))) as ChunkFile;
  const scored = await scoreRows(model, playbook, chunk);
  const firstRow = chunk.firstRow;
  const lastRow = chunk.firstRow + chunk.rows.length - 1;
  const rowsScored = await db.transaction(async (tx) => {
    await tx
      .delete(batchScores)
      .where(
        and(
          eq(batchScores.batchId, batchId),
          gte(batchScores.rowNumber, firstRow),
          lte(batchScores.rowNumber, lastRow),
        ),
      );
    for (let start = 0; start < scored.length; start += INSERT_ROWS) {
      const json = JSON.stringify(scored.slice(start, start + INSERT_ROWS));
      await tx.execute(sql`
        insert into ${batchScores} (batch_id, row_number, external_id, risk_score, risk_level, drivers, action, warnings)
        select ${batchId}, r.n, r.e, r.s, r.l, r.d, r.a, r.w
        from jsonb_to_recordset(${json}::jsonb) as r(n integer, e text, s real, l text, d jsonb, a text, w jsonb)`);
    }
    const [updated] = await tx
      .update(scoreBatches)
      .set({
        rowsScored: sql`(select count(*)::int from ${batchScores} where ${batchScores.batchId} = ${batchId})`,
      })
      .where(eq(scoreBatches.id, batchId))
      .returning({ rowsScored: scoreBatches.rowsScored });
    return updated?.rowsScored ?? 0;
  });
  await publishBatchProgress(batch.datasetId, {
    batchId,
    status: "running",
    rowsScored,
    rowCount: batch.rowCount,
  });
  return { chunk: n, rows: scored.length, firstRow };
}

async function scoreRows(model: BatchModel, playbook: Playbook, chunk: ChunkFile): Promise<ScoredRow[]> {
  const { predictor } = model;
  const numeric = new Set(predictor.inputs.filter((i) => i.kind === "numeric").map((i) => i.name));
  const present = new Set(chunk.columns);
  const out: ScoredRow[] = [];
  for (let start = 0; start < chunk.rows.length; start += EXPLAIN_ROWS) {
    const records: RawRecord[] = [];
    const end = Math.min(chunk.rows.length, start + EXPLAIN_ROWS);
    for (let i = start; i < end; i++) records.push(recordOf(chunk.columns, chunk.rows[i]));
    const predictions = predictor.predict(records, { strict: false });
    predictions.forEach((p, k) => {
      const record = records[k];
      out.push({
        n: chunk.firstRow + start + k,
        e: chunk.ids[start + k],
        s: p.riskScore,
        l: p.riskLevel,
        d: driversOf(p, record, numeric),
        a: recommendedAction(p.contributions, record, playbook)?.title ?? null,
        w: rowWarnings(p, present),
      });
    });
    // Explaining a few thousand rows takes a few hundred milliseconds; let requests through.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

function recordOf(columns: readonly string[], row: readonly string[]): RawRecord {
  const record: RawRecord = {};
  for (let c = 0; c < columns.length; c++) record[columns[c]] = row[c];
  return record;
}

/** The top three drivers as the customers' scores store them (numbers as numbers). */
function driversOf(p: CustomerPrediction, record: RawRecord, numeric: ReadonlySet<string>): RiskDriver[] {
  const columns = p.contributions.map((c) => ({
    name: c.column,
    logOdds: c.logOdds,
    probability: c.probability,
  }));
  return topDrivers({ columns }, record).map((d) => ({
    ...d,
    value:
      numeric.has(d.column) && typeof d.value === "string" && Number.isFinite(Number(d.value))
        ? Number(d.value)
        : d.value,
  }));
}

/**
 * Warnings specific to this row: a blank or unreadable value, an unseen category. Columns the whole
 * file lacks are imputed on every row; the summary lists them once instead of on every row.
 */
function rowWarnings(
  p: CustomerPrediction,
  present: ReadonlySet<string>,
): { field: string; code: string }[] | null {
  const warnings = p.warnings
    .filter((w) => w.code !== "ignored" && present.has(w.field))
    .map((w) => ({ field: w.field, code: w.code }));
  return warnings.length > 0 ? warnings : null;
}

/** Step `finalise`: the summary, status succeeded, chunk files removed. */
export async function finaliseBatchStep(
  db: Database,
  batchId: number,
  chunks: number,
  storage: FileStorage = getStorage(),
): Promise<BatchSummary> {
  const batch = await activeBatch(db, batchId);
  const staged = batch.summary as Partial<BatchSummary> | null;
  const levelRows = await db
    .select({ level: batchScores.riskLevel, rows: count() })
    .from(batchScores)
    .where(eq(batchScores.batchId, batchId))
    .groupBy(batchScores.riskLevel);
  const [totals] = await db
    .select({
      rows: count(),
      mean: avg(batchScores.riskScore),
      withWarnings: sql<number>`count(*) filter (where ${batchScores.warnings} is not null)::int`,
    })
    .from(batchScores)
    .where(eq(batchScores.batchId, batchId));
  if (totals.rows !== batch.rowCount) {
    throw new Error(`Only ${totals.rows} of ${batch.rowCount} rows were scored`);
  }
  const levels = { low: 0, medium: 0, high: 0 };
  for (const r of levelRows) if (r.level in levels) levels[r.level as keyof typeof levels] = r.rows;
  const summary: BatchSummary = {
    levels,
    meanRiskScore: Number(totals.mean ?? 0),
    rowsWithWarnings: Number(totals.withWarnings),
    missingColumns: staged?.missingColumns ?? [],
    ignoredColumns: staged?.ignoredColumns ?? [],
    identifier: staged?.identifier ?? null,
    modelVersion: staged?.modelVersion ?? 0,
  };
  await db
    .update(scoreBatches)
    .set({
      status: "succeeded",
      summary: { ...summary },
      rowsScored: totals.rows,
      finishedAt: new Date(),
      error: null,
    })
    .where(eq(scoreBatches.id, batchId));
  await removeChunkFiles(storage, batch, chunks);
  await publishBatchProgress(batch.datasetId, {
    batchId,
    status: "succeeded",
    rowsScored: totals.rows,
    rowCount: batch.rowCount,
  });
  return summary;
}

async function removeChunkFiles(storage: FileStorage, batch: BatchRecord, chunks: number): Promise<void> {
  for (let n = 1; n <= chunks; n++) await storage.delete(chunkKey(batch, n)).catch(() => {});
}

/**
 * The job failed for good or was cancelled: remove every scored row and the chunk files, record a
 * readable error. Never leaves the batch queued or running.
 */
export async function failBatch(
  db: Database,
  batchId: number,
  error: Error,
  options: { isCancelled: boolean; chunks: number; storage?: FileStorage },
): Promise<void> {
  const storage = options.storage ?? getStorage();
  const [batch] = await db.select().from(scoreBatches).where(eq(scoreBatches.id, batchId));
  if (!batch) return;
  const isCancelled = options.isCancelled || batch.status === "cancelled";
  const message = isCancelled ? "Cancelled" : readableError(error);
  await db.transaction(async (tx) => {
    await tx.delete(batchScores).where(eq(batchScores.batchId, batchId));
    await tx
      .update(scoreBatches)
      .set({
        status: isCancelled ? "cancelled" : "failed",
        error: message,
        rowsScored: 0,
        finishedAt: batch.finishedAt ?? new Date(),
      })
      .where(eq(scoreBatches.id, batchId));
  });
  await removeChunkFiles(storage, batch, options.chunks);
  await publishBatchProgress(batch.datasetId, {
    batchId,
    status: isCancelled ? "cancelled" : "failed",
    rowsScored: 0,
    rowCount: batch.rowCount,
    error: message,
  });
}

/** The first line of the message, without a stack or an internal prefix. */
export function readableError(error: Error): string {
  const line = (error.message || String(error)).split("\n")[0].trim();
  return `Scoring failed: ${line || "unknown error"}`.slice(0, 500);
}
