/**
 * One streaming pass over a stored CSV: every line is validated by lib/ml/data's reader (ragged
 * rows, encoding, binary files, header), while only a bounded part is kept: the first rows for
 * the preview and a seeded reservoir sample for schema inference. Memory is independent of the
 * file size: at most `sampleRows` rows (100,000 by default, about 100 MB for a wide file).
 */
import { type CsvDelimiter, readCsvBatches } from "@/lib/ml/data";
import { createRng } from "@/lib/ml/random";

export const PREVIEW_ROWS = 20;
export const DEFAULT_SAMPLE_ROWS = 100_000;
/** Fixed so the upload preview and the import infer the same schema from the same file. */
const SAMPLE_SEED = 20_240_611;

export interface CsvScan {
  columns: string[];
  delimiter: CsvDelimiter;
  /** Data rows (header and blank rows excluded). */
  rowCount: number;
  skippedBlankRows: number;
  byteCount: number;
  /** The first PREVIEW_ROWS data rows, raw. */
  previewRows: string[][];
  /** Every row when rowCount <= sampleRows, else a uniform random sample of sampleRows rows. */
  sample: string[][];
  isSampled: boolean;
  /** The reader's notes on how the file was read (renamed or dropped columns, Excel's sep= line). */
  notes: string[];
}

export interface ScanOptions {
  maxBytes?: number;
  sampleRows?: number;
}

export async function scanCsv(
  chunks: AsyncIterable<Uint8Array>,
  options: ScanOptions = {},
): Promise<CsvScan> {
  const sampleRows = options.sampleRows ?? DEFAULT_SAMPLE_ROWS;
  const rng = createRng(SAMPLE_SEED);
  const previewRows: string[][] = [];
  const sample: string[][] = [];
  let seen = 0;
  const batches = readCsvBatches(chunks, { maxBytes: options.maxBytes, batchSize: 2_000 });
  for (;;) {
    const next = await batches.next();
    if (next.done) {
      const summary = next.value;
      return {
        columns: summary.columns,
        delimiter: summary.delimiter,
        rowCount: summary.rowCount,
        skippedBlankRows: summary.skippedBlankRows,
        byteCount: summary.byteCount,
        previewRows,
        sample,
        isSampled: summary.rowCount > sample.length,
        notes: summary.notes,
      };
    }
    for (const row of next.value.rows) {
      if (previewRows.length < PREVIEW_ROWS) previewRows.push(row);
      // Reservoir sampling (Vitter's algorithm R): row k is kept with probability n / k.
      seen++;
      if (sample.length < sampleRows) sample.push(row);
      else {
        const j = rng.int(seen);
        if (j < sampleRows) sample[j] = row;
      }
    }
  }
}
