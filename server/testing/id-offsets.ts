/**
 * Every test database starts each id sequence in its own range, so an id of one table never
 * equals an id of another. On a fresh database dataset 1, version 1, run 1 and model 1 coincide,
 * and a query that compares the wrong ids (a customer id with a version id, a dataset id with a
 * version id) passes by luck; with these ranges it returns nothing and the test fails.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";

/**
 * First id per sequence. The ranges are far apart so a test file can create many rows of one
 * table without reaching the next table's first id; all stay within int4 (serial columns).
 */
export const ID_OFFSETS: ReadonlyMap<string, number> = new Map([
  ["datasets_id_seq", 100],
  ["users_id_seq", 1_000],
  ["dataset_versions_id_seq", 2_000],
  ["api_keys_id_seq", 10_000],
  ["training_runs_id_seq", 30_000],
  ["score_batches_id_seq", 150_000],
  ["models_id_seq", 400_000],
  ["customers_id_seq", 5_000_000],
  ["audit_log_id_seq", 20_000_000],
  ["api_requests_id_seq", 60_000_000],
]);

/** Sequences added later (new tables) get a range of their own from here, in name order. */
const UNLISTED_START = 100_000_000;
const UNLISTED_STEP = 10_000_000;

/** Sequence name → first id, for the sequences that exist in this database. */
export function idOffsetsFor(sequenceNames: readonly string[]): Map<string, number> {
  const offsets = new Map<string, number>();
  let next = UNLISTED_START;
  for (const name of [...sequenceNames].sort()) {
    const listed = ID_OFFSETS.get(name);
    if (listed !== undefined) {
      offsets.set(name, listed);
    } else {
      offsets.set(name, next);
      next += UNLISTED_STEP;
    }
  }
  return offsets;
}

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Moves every sequence of the public schema to its first id (a fresh database only: ids restart). */
export async function offsetIdSequences(db: Database): Promise<Map<string, number>> {
  const names = rowsOf<{ name: string }>(
    await db.execute(sql`select sequencename as name from pg_sequences where schemaname = 'public'`),
  ).map((r) => String(r.name));
  const offsets = idOffsetsFor(names);
  for (const [name, first] of offsets) {
    // setval(seq, n, false): the next nextval() returns n. The name is a catalogue value, bound as a parameter.
    await db.execute(sql`select setval(${`public.${name}`}::regclass, ${first}, false)`);
  }
  return offsets;
}
