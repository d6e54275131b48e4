/** db.execute answers an array on postgres.js and `{ rows }` on PGlite: one shape for callers. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** bigint / numeric come back as strings on postgres.js and bigint on PGlite. */
export function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
