/**
 * Settings for the few queries that aggregate every customer of a version (segments, retention
 * curves, the campaign planner's ranking), scoped to one transaction so the OLTP defaults stay.
 *
 * - JIT off: grouping by a jsonb-extracted key or expanding stored drivers gives the planner
 *   row estimates far above the truth, which pushes the cost past `jit_above_cost`; measured on
 *   100,000 customers, compiling took 2.7 s of a 3.5 s query that runs in well under a second
 *   without it.
 * - More work_mem: a key extracted from jsonb has no statistics, so the planner expects one group
 *   per row; with the 4 MB default it sorts the joined rows on disk instead of hashing the handful
 *   of groups there are.
 * PGlite has no JIT and accepts both settings.
 */
import { sql } from "drizzle-orm";
import type { Database } from "./client";

export async function withAnalyticalSettings<T>(db: Database, run: (tx: Database) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql`set local work_mem = '64MB'`);
    return run(tx as unknown as Database);
  });
}
