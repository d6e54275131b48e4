/**
 * Every REST API call is logged to `api_requests` (key, endpoint, dataset, model, status, error
 * code, customer count, latency; never the body or any customer value). Rows are buffered and
 * written in one INSERT every second or every 200 rows, so logging never adds a database round
 * trip to a call's latency. Buffers are flushed when the process is asked to stop; a hard kill
 * loses at most the last second of log rows, never a prediction. On Lambda, which may freeze a
 * process right after it answers, the route handler writes each call's row once the answer is out
 * (server/http/predict-adapters.ts).
 */
import type { Database } from "../../db/client";
import { apiRequests } from "../../db/schema";
import { logger } from "../../log";
import { perDatabase, processWide } from "../../process-wide";

export interface ApiRequestLogRow {
  apiKeyId: number | null;
  endpoint: string;
  datasetId: number | null;
  modelId: number | null;
  modelVersion: number | null;
  status: number;
  errorCode: string | null;
  customers: number;
  latencyMs: number;
}

const FLUSH_INTERVAL_MS = 1_000;
const FLUSH_ROWS = 200;
/** Past this many unwritten rows (database down), the oldest are dropped instead of growing forever. */
const MAX_BUFFERED_ROWS = 20_000;

export class ApiRequestLog {
  private rows: ApiRequestLogRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Database) {}

  add(row: ApiRequestLogRow): void {
    this.rows.push(row);
    if (this.rows.length > MAX_BUFFERED_ROWS) this.rows.splice(0, this.rows.length - MAX_BUFFERED_ROWS);
    pendingLogs.add(this);
    hookShutdownOnce();
    if (this.rows.length >= FLUSH_ROWS) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
      this.timer.unref();
    }
  }

  get pending(): number {
    return this.rows.length;
  }

  /** Writes everything buffered so far; resolves when it is in the database (or the write failed). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.rows;
    this.rows = [];
    pendingLogs.delete(this);
    // One write at a time, in order.
    this.flushing = this.flushing.then(async () => {
      if (!batch.length) return;
      try {
        await this.db.insert(apiRequests).values(batch);
      } catch (error) {
        logger("api").error({ err: error }, `could not write ${batch.length} request log rows`);
      }
    });
    return this.flushing;
  }
}

// Process-wide: the Node server's fast path and the route handlers log into one buffer per
// database, and one shutdown hook flushes them all.
const logs = perDatabase("restApi.requestLogs", (db) => new ApiRequestLog(db));
/** Logs with unwritten rows (strong references only while something is pending). */
const pendingLogs = processWide("restApi.pendingLogs", () => new Set<ApiRequestLog>());

export function requestLogFor(db: Database): ApiRequestLog {
  return logs.of(db);
}

export async function flushAllRequestLogs(): Promise<void> {
  await Promise.all([...pendingLogs].map((log) => log.flush()));
}

/**
 * `next start` handles SIGTERM/SIGINT by closing the server and then exiting; start the final
 * write as soon as the signal arrives (scripts/serve.mjs also awaits it before exiting). Only hooked where someone already handles the signal (the
 * Next.js server), because a listener of our own would stop a plain script from exiting on Ctrl-C.
 */
function hookShutdownOnce(): void {
  const flag = processWide("restApi.shutdownHooks", () => ({ hooked: false }));
  if (flag.hooked) return;
  flag.hooked = true;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    if (process.listenerCount(signal) > 0) process.prependListener(signal, () => void flushAllRequestLogs());
  }
  process.once("beforeExit", () => void flushAllRequestLogs());
}
