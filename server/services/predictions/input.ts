/**
 * Checks customer data sent by people (what-if form) and machines (REST API) against the champion's
 * inputs before it reaches the feature pipeline. Strict checks name the field: a column the model
 * never saw, a value of the wrong JSON type. Values the pipeline cannot read (text in a numeric
 * field, an unseen category) are reported by predictor.ts from the pipeline's own warnings, so the
 * rules for "readable" live in one place (lib/ml/features).
 */
import { columnRecord } from "@/lib/column-record";
import type { RawRecord } from "@/lib/ml";
import type { DatasetSchema } from "@/lib/ml/data";
import type { InputDescription } from "@/lib/ml/features";
import { quoteValue, truncateText } from "@/lib/quote-value";
import type { PredictionIssue } from "./errors";

/** A field present in the request but not used by the model (identifier, excluded column, target). */
export interface IgnoredField {
  index: number;
  field: string;
}

export interface CheckedRecords {
  records: RawRecord[];
  ignored: IgnoredField[];
  issues: PredictionIssue[];
}

const MAX_ISSUES = 50;

export function checkCustomerRecords(
  schema: DatasetSchema,
  inputs: readonly InputDescription[],
  records: readonly unknown[],
): CheckedRecords {
  const byName = new Map(inputs.map((i) => [i.name, i]));
  const knownColumns = new Set(schema.columns.map((c) => c.name));
  const out: RawRecord[] = [];
  const ignored: IgnoredField[] = [];
  const issues: PredictionIssue[] = [];
  records.forEach((record, index) => {
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      issues.push({
        index,
        field: "",
        code: "invalid_record",
        message: `Customer ${index + 1} is not a JSON object`,
      });
      out.push(columnRecord());
      return;
    }
    // Null prototype: a column may be called "__proto__" or "constructor" (lib/column-record.ts).
    const clean: RawRecord = columnRecord();
    for (const [field, value] of Object.entries(record as Record<string, unknown>)) {
      const input = byName.get(field);
      if (!input) {
        if (knownColumns.has(field)) ignored.push({ index, field });
        else
          issues.push({
            index,
            // Echoed in the answer: an unknown name is whatever the client sent, so it is cut.
            field: truncateText(field),
            code: "unknown_field",
            message: `Unknown field ${quoteValue(field)}: the model's fields are ${fieldList([...byName.keys()])}`,
          });
        continue;
      }
      const problem = typeProblem(input, value);
      if (problem) {
        issues.push({ index, field, code: "wrong_type", message: `Field "${field}" ${problem}` });
        continue;
      }
      clean[field] = value as RawRecord[string];
    }
    out.push(clean);
  });
  return { records: out, ignored, issues: issues.slice(0, MAX_ISSUES) };
}

/** The model's fields for a message: all of a typical table, the first 30 of a very wide one. */
function fieldList(names: readonly string[]): string {
  const shown = names.slice(0, 30).map((name) => truncateText(name));
  return names.length > shown.length
    ? `${shown.join(", ")} and ${names.length - shown.length} more`
    : shown.join(", ");
}

function typeProblem(input: InputDescription, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (input.kind === "numeric" && input.type !== "date") {
    if (typeof value === "number") return Number.isFinite(value) ? null : "must be a finite number";
    if (typeof value === "string") return null; // numeric text is read (or reported) by the pipeline
    return `must be a number, got ${jsonType(value)}`;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return null;
  return `must be ${input.kind === "categorical" ? "one of the category values" : "a date text"}, got ${jsonType(value)}`;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}
