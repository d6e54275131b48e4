/**
 * A training table as sent to a worker thread: each row one string (cells joined by U+001F),
 * decoded when a row is read. Structured-cloning 1,000,000 rows of 21 cells as string[][] makes
 * 21 million strings and arrays per worker (~1 GB at Telco's shape); one string per row is about a
 * sixth of that, and the worker reads rows in order once to build its frame, then row ranges to
 * score. A table with U+001F inside a cell is sent as it is.
 */
import type { ComputeTable } from "./compute";

const SEPARATOR = "\u001f";

export interface PackedTable {
  schema: ComputeTable["schema"];
  columns: readonly string[];
  packedRows: string[];
}

const packed = new WeakMap<object, PackedTable | null>();

/** The packed form of a table (computed once per table), or null when a cell holds the separator. */
export function packTable(table: ComputeTable): PackedTable | null {
  const cached = packed.get(table);
  if (cached !== undefined) return cached;
  const lines: string[] = new Array(table.rows.length);
  let result: PackedTable | null = { schema: table.schema, columns: table.columns, packedRows: lines };
  for (let i = 0; i < table.rows.length; i++) {
    const line = table.rows[i].join(SEPARATOR);
    let separators = 0;
    for (let at = line.indexOf(SEPARATOR); at >= 0; at = line.indexOf(SEPARATOR, at + 1)) separators++;
    if (separators !== table.columns.length - 1) {
      result = null;
      break;
    }
    lines[i] = line;
  }
  packed.set(table, result);
  return result;
}

/** The table a worker computes on: `rows` reads like string[][] and decodes a row per access. */
export function unpackTable(table: PackedTable): ComputeTable {
  return {
    schema: table.schema,
    columns: table.columns,
    rows: lazyRows(table.packedRows, table.columns.length),
  };
}

function lazyRows(lines: readonly string[], width: number): readonly (readonly string[])[] {
  const decode = (i: number): string[] => (width === 1 ? [lines[i]] : lines[i].split(SEPARATOR));
  const indexOf = (prop: string | symbol): number => {
    if (typeof prop !== "string" || prop.length === 0) return -1;
    const c = prop.charCodeAt(0);
    if (c < 48 || c > 57) return -1;
    const i = Number(prop);
    return Number.isInteger(i) && String(i) === prop && i < lines.length ? i : -1;
  };
  return new Proxy([] as string[][], {
    get(target, prop, receiver) {
      if (prop === "length") return lines.length;
      const i = indexOf(prop);
      if (i >= 0) return decode(i);
      return Reflect.get(target, prop, receiver);
    },
    has(target, prop) {
      return indexOf(prop) >= 0 || Reflect.has(target, prop);
    },
  });
}
