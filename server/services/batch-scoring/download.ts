/**
 * The scored file: the uploaded rows as they were (read again from storage, never held whole),
 * each followed by risk_score, risk_level, top_drivers, recommended_action and warnings. Scores
 * are read page by page in row order, in step with the file.
 */
import { and, asc, eq, gte, lte } from "drizzle-orm";
import { readCsvBatches } from "@/lib/ml/data";
import type { Database } from "../../db/client";
import { batchScores, scoreBatches } from "../../db/schema";
import { type FileStorage, getStorage } from "../../storage";
import { contentDisposition, csvLine, driversText, scoredCsvFileName, warningsText } from "./csv-out";
import { BatchNotFoundError, BatchStateError } from "./errors";

export { contentDisposition, scoredCsvFileName };

export const SCORE_COLUMNS = ["risk_score", "risk_level", "top_drivers", "recommended_action", "warnings"];
const PAGE_ROWS = 2_000;

export interface ScoredCsv {
  fileName: string;
  rowCount: number;
  body: AsyncGenerator<Uint8Array>;
}

/** Throws BatchNotFoundError, or BatchStateError when the batch has not finished successfully. */
export async function streamScoredCsv(
  db: Database,
  batchId: number,
  storage: FileStorage = getStorage(),
): Promise<ScoredCsv> {
  const [batch] = await db.select().from(scoreBatches).where(eq(scoreBatches.id, batchId));
  if (!batch) throw new BatchNotFoundError(batchId);
  if (batch.status !== "succeeded") {
    throw new BatchStateError(
      batch.status === "queued" || batch.status === "running"
        ? "This batch is still being scored; download it when it has finished."
        : `This batch ${batch.status === "failed" ? "failed" : "was cancelled"}: there is nothing to download.`,
    );
  }
  return {
    fileName: batch.fileName,
    rowCount: batch.rowCount,
    body: lines(db, batch.id, batch.storageKey, storage),
  };
}

async function* lines(
  db: Database,
  batchId: number,
  storageKey: string,
  storage: FileStorage,
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = readCsvBatches(storage.get(storageKey), {
    maxBytes: Number.POSITIVE_INFINITY,
    batchSize: PAGE_ROWS,
  });
  let isFirst = true;
  for (;;) {
    const next = await batches.next();
    if (next.done) return;
    const { rows, columns, firstRowIndex } = next.value;
    let text = "";
    if (isFirst) {
      // A UTF-8 byte order mark so that spreadsheet programs read accents correctly.
      text += `\ufeff${csvLine([...columns, ...SCORE_COLUMNS])}`;
      isFirst = false;
    }
    const first = firstRowIndex + 1;
    const scored = await db
      .select({
        rowNumber: batchScores.rowNumber,
        riskScore: batchScores.riskScore,
        riskLevel: batchScores.riskLevel,
        drivers: batchScores.drivers,
        action: batchScores.action,
        warnings: batchScores.warnings,
      })
      .from(batchScores)
      .where(
        and(
          eq(batchScores.batchId, batchId),
          gte(batchScores.rowNumber, first),
          lte(batchScores.rowNumber, first + rows.length - 1),
        ),
      )
      .orderBy(asc(batchScores.rowNumber));
    const byRow = new Map(scored.map((s) => [s.rowNumber, s]));
    rows.forEach((row, k) => {
      const s = byRow.get(first + k);
      text += csvLine([
        ...row,
        s ? Number(s.riskScore.toFixed(4)) : null,
        s?.riskLevel ?? null,
        s ? driversText(s.drivers) : null,
        s?.action ?? null,
        s ? warningsText(s.warnings) : null,
      ]);
    });
    yield encoder.encode(text);
  }
}
