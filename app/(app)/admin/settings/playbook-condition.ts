/**
 * The playbook editor's view of one trigger condition: a column pattern, one operator and its
 * value as text, converted to and from the playbook schema's shape (lib/retention/playbook.ts).
 * A stored condition with several operators keeps the others until the operator is changed.
 */
import type { PlaybookCondition } from "@/lib/retention";

export const OPERATORS = ["equals", "in", "notIn", "lt", "lte", "gt", "gte", "missing"] as const;
export type Operator = (typeof OPERATORS)[number];

export const OPERATOR_LABELS: Record<Operator, string> = {
  equals: "is",
  in: "is one of",
  notIn: "is none of",
  lt: "is below",
  lte: "is at most",
  gt: "is above",
  gte: "is at least",
  missing: "is missing",
};

export function operatorOf(condition: PlaybookCondition): Operator {
  return OPERATORS.find((op) => condition[op] !== undefined) ?? "equals";
}

/** Column spellings as the editor shows them: "OnlineBackup, DeviceProtection". */
export function columnText(condition: PlaybookCondition): string {
  return Array.isArray(condition.column) ? condition.column.join(", ") : condition.column;
}

export function withColumn(condition: PlaybookCondition, text: string): PlaybookCondition {
  const names = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return { ...condition, column: names.length > 1 ? names : (names[0] ?? "") };
}

const cell = (text: string): string | number => {
  const t = text.trim();
  return t !== "" && /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
};

export function valueText(condition: PlaybookCondition): string {
  const op = operatorOf(condition);
  const value = condition[op];
  if (Array.isArray(value)) return value.join(", ");
  return value === undefined ? "" : String(value);
}

/** Sets the operator and its value from text; other operators are dropped. */
export function withOperator(condition: PlaybookCondition, op: Operator, text: string): PlaybookCondition {
  const next: PlaybookCondition = { column: condition.column };
  const rest = condition as PlaybookCondition & { and?: unknown };
  if (rest.and !== undefined) (next as typeof rest).and = rest.and;
  switch (op) {
    case "equals":
      next.equals = cell(text);
      break;
    case "in":
    case "notIn":
      next[op] = text
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
        .map(cell);
      break;
    case "missing":
      next.missing = text !== "false";
      break;
    default: {
      const n = Number(text);
      // NaN is refused by the schema, which names the field.
      next[op] = text.trim() === "" ? Number.NaN : n;
    }
  }
  return next;
}
