/**
 * Column-keyed data. Column names come from uploaded files, so `__proto__`, `constructor`,
 * `toString` or `prototype` are ordinary names. A `{}` literal gets them wrong both ways: reading
 * an absent `constructor` returns Object's constructor, and `obj["__proto__"] = value` replaces the
 * prototype instead of storing a value (the column silently disappears). So:
 *
 * - build column-keyed objects with `columnRecord()` / `columnRecordOf()` (null prototype: every
 *   name is an ordinary own property) or use a `Map`;
 * - read objects that came from elsewhere (JSON.parse, the database) with `fieldOf` / `hasField`,
 *   which only see own properties;
 * - send column-keyed data to the browser or through tRPC as `[name, value]` pairs (`pairsOf`):
 *   superjson refuses the keys `__proto__`, `constructor` and `prototype`, and React refuses
 *   null-prototype objects as props.
 *
 * JSON.stringify writes a null-prototype object like any other, and JSON.parse creates an own
 * `__proto__` property, so JSON text (REST bodies, jsonb columns) round-trips every name.
 */

export type ColumnRecord<T> = Record<string, T>;

/** An empty null-prototype object for column-keyed values. */
export function columnRecord<T>(): ColumnRecord<T> {
  return Object.create(null) as ColumnRecord<T>;
}

/** A null-prototype object holding `entries` (later entries win, as with Object.fromEntries). */
export function columnRecordOf<T>(entries: Iterable<readonly [string, T]>): ColumnRecord<T> {
  const out = columnRecord<T>();
  for (const [name, value] of entries) out[name] = value;
  return out;
}

/** A null-prototype copy of any object's own enumerable properties (e.g. a parsed JSON body). */
export function toColumnRecord<T>(record: Readonly<Record<string, T>>): ColumnRecord<T> {
  return columnRecordOf(Object.entries(record));
}

/** Whether the record has the column as an own property (never an inherited one). */
export function hasField(record: object, name: string): boolean {
  return Object.hasOwn(record, name);
}

/** The record's own value for the column; undefined when absent (never an inherited member). */
export function fieldOf<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** The record's own properties as `[name, value]` pairs: the safe shape for tRPC and props. */
export function pairsOf<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record);
}

/** One row of a table as a null-prototype record: `columns[c]` → `row[c]`. */
export function recordOfRow<T>(columns: readonly string[], row: readonly T[]): ColumnRecord<T> {
  const out = columnRecord<T>();
  for (let c = 0; c < columns.length; c++) out[columns[c]] = row[c];
  return out;
}
