/**
 * Chunk files: the rows of a file to score, split into JSON files of `chunkRows` rows each, so a
 * chunk step reads exactly its rows (no re-parsing the CSV up to them) and no process holds more
 * than one chunk. Written while the upload is checked (the file is parsed then anyway) and again
 * by the job's load step if they are missing.
 */
import type { FileStorage } from "../../storage";

/**
 * Rows per chunk, one job step each: a few seconds of work per step, few steps per file, and on
 * Inngest no function invocation holds more than one chunk.
 */
export const DEFAULT_CHUNK_ROWS = 10_000;

export interface ChunkFile {
  /** 1-based data row number of rows[0]. */
  firstRow: number;
  /** The file's header. */
  columns: string[];
  rows: string[][];
}

export const chunkKey = (folder: string, n: number) => `${folder}/chunk-${n}.json`;

export function chunkCount(rowCount: number, chunkRows: number): number {
  return Math.max(1, Math.ceil(rowCount / chunkRows));
}

/** Collects rows and writes a chunk file every `chunkRows` rows (awaited, so memory stays bounded). */
export class ChunkWriter {
  private pending: string[][] = [];
  private rowsSeen = 0;
  private written = 0;

  constructor(
    private readonly storage: FileStorage,
    private readonly folder: string,
    private readonly chunkRows: number,
  ) {}

  async add(columns: string[], rows: readonly string[][]): Promise<void> {
    for (const row of rows) {
      this.pending.push(row);
      this.rowsSeen += 1;
      if (this.pending.length >= this.chunkRows) await this.flush(columns);
    }
  }

  async finish(columns: string[]): Promise<number> {
    if (this.pending.length > 0) await this.flush(columns);
    return this.written;
  }

  private async flush(columns: string[]): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    this.written += 1;
    const chunk: ChunkFile = { firstRow: this.rowsSeen - rows.length + 1, columns, rows };
    await this.storage.put(
      chunkKey(this.folder, this.written),
      new TextEncoder().encode(JSON.stringify(chunk)),
    );
  }
}

export async function readChunk(storage: FileStorage, folder: string, n: number): Promise<ChunkFile> {
  return JSON.parse(new TextDecoder().decode(await storage.getBytes(chunkKey(folder, n)))) as ChunkFile;
}
