/**
 * A zod schema for objects keyed by column names. `z.record` builds its output with a `{}` literal
 * and drops a `__proto__` key without an error; column names are data (any valid CSV header), so
 * this one keeps every own key and returns a null-prototype object (lib/column-record.ts).
 */
import { z } from "zod";
import { type ColumnRecord, columnRecord } from "../column-record";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export function columnRecordSchema<V extends z.ZodType>(value: V, options: { maxNameLength?: number } = {}) {
  const maxNameLength = options.maxNameLength ?? Number.POSITIVE_INFINITY;
  return z.unknown().transform((input, ctx): ColumnRecord<z.output<V>> => {
    if (!isPlainObject(input)) {
      ctx.issues.push({ code: "custom", message: "Expected an object keyed by column names", input });
      return z.NEVER;
    }
    const out = columnRecord<z.output<V>>();
    for (const [name, raw] of Object.entries(input)) {
      if (name.length > maxNameLength) {
        ctx.issues.push({
          code: "custom",
          message: `Column names are at most ${maxNameLength} characters`,
          input: name.slice(0, 100),
          path: [name.slice(0, 100)],
        });
        continue;
      }
      const parsed = value.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          ctx.issues.push({ ...issue, path: [name, ...issue.path] } as never);
        continue;
      }
      out[name] = parsed.data;
    }
    return out;
  });
}
