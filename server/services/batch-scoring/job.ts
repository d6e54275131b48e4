/**
 * The steps of the `score-batch` durable function. Each is idempotent and re-derives what it needs
 * from the database and storage, so a retried or resumed step redoes only its own work:
 *
 * - load: marks the batch running and checks the chunk files (chunks.ts) the upload wrote, or
 *   splits the stored file again if they are gone.
 * - score-chunk-<n>: clears whatever an earlier attempt wrote for its row numbers, scores its
 *   rows with the model recorded at start (lenient: unreadable values and unseen categories
 *   become warnings), inserts them and updates the progress.
 * - finalise: the summary (counts per level, mean risk, rows with warnings), status succeeded.
 *
 * onFailure (failBatch) removes every row of the batch and records a readable error.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { and, avg, count, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { readCsvBatches } from "@/lib/ml/data";
import type { Database } from "../../db/client";
import { batchScores, scoreBatches } from "../../db/schema";
import { NonRetriableError } from "../../durable/contract";
import { observeScoring } from "../../metrics";
import { type FileStorage, getStorage } from "../../storage";
import { checkDriftAfterBatch } from "../drift/requests";
import { getPlaybook } from "../retention";
import { getComputePool, runCompute } from "../training/compute-pool";
import { ChunkWriter, chunkCount, chunkKey, readChunk } from "./chunks";
import { matchColumns } from "./columns";
import { loadBatchModel } from "./model";
import { publishBatchProgress } from "./publish";
import { type ScoredRow, type ScorePart, scorePart } from "./score-rows";

/**
 * Rows per explain call: the per-call cost (building the feature frame) is amortised by 2,500
 * (measured: 5,000-row calls explain 20,000 boosting rows 30 % faster than 1,000-row calls), and
 * the web server's event loop is never blocked for more than a few hundred milliseconds.
 */
const EXPLAIN_ROWS = 2_500;
// A blend explains both members (often a tree ensemble among them): the workers too.
const TREE_ENSEMBLES: ReadonlySet<string> = new Set(["random_forest", "gradient_boosting", "blend"]);

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

export const batchFolder = (batch: Pick<BatchRecord, "storageKey">) => path.posix.dirname(batch.storageKey);

/**
 * Step `load`: marks the batch running and makes sure every chunk file is there (the upload wrote
 * them; after a lost file they are split again from the stored upload, its SHA-256 checked).
 */
export async function loadBatchStep(
  db: Database,
  batchId: number,
  chunkRows: number,
  storage: FileStorage = getStorage(),
): Promise<{ rowCount: number; chunks: number; used: string[]; missing: string[]; resplit: boolean }> {
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

  const folder = batchFolder(batch);
  const chunks = chunkCount(batch.rowCount, chunkRows);
  let isComplete = true;
  for (let n = 1; n <= chunks && isComplete; n++) isComplete = await storage.exists(chunkKey(folder, n));
  let header: string[];
  if (isComplete) {
    header = (await readChunk(storage, folder, 1)).columns;
  } else {
    const hash = createHash("sha256");
    async function* hashed() {
      for await (const chunk of storage.get(batch.storageKey)) {
        hash.update(chunk);
        yield chunk;
      }
    }
    const writer = new ChunkWriter(storage, folder, chunkRows);
    const batches = readCsvBatches(hashed(), { maxBytes: Number.POSITIVE_INFINITY, batchSize: 2_000 });
    let rows = 0;
    for (;;) {
      const next = await batches.next();
      if (next.done) {
        header = next.value.columns;
        await writer.finish(header);
        break;
      }
      rows += next.value.rows.length;
      await writer.add(next.value.columns, next.value.rows);
    }
    if (hash.digest("hex") !== batch.sha256 || rows !== batch.rowCount) {
      throw new NonRetriableError("The uploaded file changed after it was checked; upload it again.");
    }
  }
  const match = matchColumns(header, model);
  return { rowCount: batch.rowCount, chunks, used: match.used, missing: match.missing, resplit: !isComplete };
}

/**
 * Step `score-chunk-<n>`: scores one chunk and replaces its rows. Idempotent without holding a
 * transaction open while it computes (on PGlite that would stall every other query of the app):
 * the chunk's row numbers are cleared first, so a retry after a partial write starts clean, and
 * onFailure removes everything if the job gives up. Each part's INSERT is in flight while the next
 * part is scored, so on PostgreSQL the writes overlap the computation.
 */
export async function scoreChunkStep(
  db: Database,
  batchId: number,
  n: number,
  storage: FileStorage = getStorage(),
): Promise<{ chunk: number; rows: number; firstRow: number; scoreMs: number; writeWaitMs: number }> {
  const batch = await activeBatch(db, batchId);
  const [model, playbook] = await Promise.all([loadBatchModel(db, batch.modelId), getPlaybook(db)]);
  const chunk = await readChunk(storage, batchFolder(batch), n);
  const identifier = (batch.summary as { identifier?: string | null } | null)?.identifier ?? null;
  const firstRow = chunk.firstRow;
  const lastRow = chunk.firstRow + chunk.rows.length - 1;
  await db
    .delete(batchScores)
    .where(
      and(
        eq(batchScores.batchId, batchId),
        gte(batchScores.rowNumber, firstRow),
        lte(batchScores.rowNumber, lastRow),
      ),
    );

  const used = model.columns.inputs.filter((name) => chunk.columns.includes(name));
  const usedIndex = used.map((name) => chunk.columns.indexOf(name));
  const idIndex = identifier === null ? -1 : chunk.columns.indexOf(identifier);
  const partOf = (start: number): ScorePart => {
    const rows = chunk.rows.slice(start, start + EXPLAIN_ROWS);
    return {
      firstRow: firstRow + start,
      used,
      rows: rows.map((row) => usedIndex.map((i) => row[i])),
      ids: rows.map((row) => (idIndex >= 0 ? row[idIndex].trim() || null : null)),
    };
  };
  // Explaining a tree ensemble costs ~0.1–0.25 ms a row (TreeSHAP over every tree): its parts go to
  // the compute pool's worker threads, all queued at once, so both cores explain while this thread
  // writes. The other models explain in microseconds, where a worker's message passing cost more
  // than it saved (measured: 35 % more CPU, slower), so they score here, one part ahead of the
  // writes (part k+1 is scored while part k's INSERT runs; on PostgreSQL in the server's process,
  // PGlite runs it on this thread between parts).
  const onWorkers = getComputePool().mode === "workers" && TREE_ENSEMBLES.has(model.ref.algorithm);
  let modelJson: string | null = null;
  const score = async (part: ScorePart): Promise<ScoredRow[]> => {
    if (onWorkers) {
      modelJson ??= JSON.stringify(model.model.toJSON());
      return runCompute({ task: "scoreBatchPart", input: { ref: model.ref, modelJson, playbook, part } });
    }
    // Let requests and the previous INSERT through before a few hundred milliseconds of work.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return scorePart(model.predictor, playbook, part);
  };
  let scoreMs = 0;
  let writeWaitMs = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  // A stage that fails while the other is awaited must not count as an unhandled rejection: the
  // failure still surfaces when that stage is awaited.
  const handled = <T>(promise: Promise<T>) => {
    promise.catch(() => {});
    return promise;
  };
  const starts: number[] = [];
  for (let start = 0; start < chunk.rows.length; start += EXPLAIN_ROWS) starts.push(start);
  const scoring: Promise<ScoredRow[]>[] = [];
  const scoreNext = () => {
    if (scoring.length < starts.length) scoring.push(handled(score(partOf(starts[scoring.length]))));
  };
  for (let i = 0; i < (onWorkers ? starts.length : 1); i++) scoreNext();
  for (let k = 0; k < starts.length; k++) {
    const scoringAt = performance.now();
    const scored = await scoring[k];
    scoreMs += performance.now() - scoringAt;
    scoreNext();
    const waitedAt = performance.now();
    await inFlight;
    writeWaitMs += performance.now() - waitedAt;
    inFlight = handled(insertRows(db, batchId, scored));
  }
  const waitedAt = performance.now();
  await inFlight;
  const [updated] = await db
    .update(scoreBatches)
    .set({
      rowsScored: sql`(select count(*)::int from ${batchScores} where ${batchScores.batchId} = ${batchId})`,
    })
    .where(eq(scoreBatches.id, batchId))
    .returning({ rowsScored: scoreBatches.rowsScored });
  writeWaitMs += performance.now() - waitedAt;
  await publishBatchProgress(batch.datasetId, {
    batchId,
    status: "running",
    rowsScored: updated?.rowsScored ?? 0,
    rowCount: batch.rowCount,
  });
  return {
    chunk: n,
    rows: chunk.rows.length,
    firstRow,
    scoreMs: Math.round(scoreMs),
    writeWaitMs: Math.round(writeWaitMs),
  };
}

/**
 * Writes scored rows. PostgreSQL: one INSERT with the rows as a single JSON parameter, expanded by
 * json_to_recordset (column names never in SQL text; `json`, not `jsonb`: the array is read once,
 * and skipping its jsonb conversion made the INSERT 23 % faster on PGlite). PGlite: COPY from an
 * in-memory blob, about 30 % cheaper again on its single thread (probe: 20,000 rows 1.9 s instead of
 * 2.1 s, loaded machine); the values are escaped for COPY's text format.
 */
async function insertRows(db: Database, batchId: number, rows: readonly ScoredRow[]): Promise<void> {
  const pglite = pgliteClientOf(db);
  if (pglite) {
    let text = "";
    for (const r of rows) {
      text += `${batchId}\t${r.n}\t${copyText(r.e)}\t${r.s}\t${copyText(r.l)}\t${copyText(JSON.stringify(r.d))}\t${copyText(r.a)}\t${r.w ? copyText(JSON.stringify(r.w)) : "\\N"}\n`;
    }
    await pglite.query(
      "copy batch_scores (batch_id, row_number, external_id, risk_score, risk_level, drivers, action, warnings) from '/dev/blob'",
      [],
      { blob: new Blob([text]) },
    );
    return;
  }
  const json = JSON.stringify(rows);
  await db.execute(sql`
    insert into ${batchScores} (batch_id, row_number, external_id, risk_score, risk_level, drivers, action, warnings)
    select ${batchId}, r.n, r.e, r.s, r.l, r.d, r.a, r.w
    from json_to_recordset(${json}::json) as r(n integer, e text, s real, l text, d jsonb, a text, w jsonb)`);
}

interface PgliteCopyClient {
  query(query: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}

/** The PGlite client under a drizzle database, or null on PostgreSQL. */
function pgliteClientOf(db: Database): PgliteCopyClient | null {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (typeof client !== "object" || client === null) return null;
  return "waitReady" in client && "query" in client ? (client as PgliteCopyClient) : null;
}

/** A value in COPY's text format: backslash escapes for \\, tab, newline, carriage return; null as \\N. */
function copyText(value: string | null): string {
  if (value === null) return "\\N";
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : value;
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
  if (batch.startedAt) observeScoring("batch", (Date.now() - batch.startedAt.getTime()) / 1000);
  await publishBatchProgress(batch.datasetId, {
    batchId,
    status: "succeeded",
    rowsScored: totals.rows,
    rowCount: batch.rowCount,
  });
  // Compare the scored file with the champion's training data (drift-check job; never fails this step).
  await checkDriftAfterBatch(db, batch);
  return summary;
}

async function removeChunkFiles(storage: FileStorage, batch: BatchRecord, chunks: number): Promise<void> {
  const folder = batchFolder(batch);
  for (let n = 1; n <= chunks; n++) await storage.delete(chunkKey(folder, n)).catch(() => {});
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
