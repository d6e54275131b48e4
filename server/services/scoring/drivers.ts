import { fieldOf } from "@/lib/column-record";
import type { RecordExplanation } from "@/lib/ml";

/** One reason behind a customer's score, as stored in scores.drivers. */
export interface RiskDriver {
  /** Original column name (one-hot parts and engineered features folded into their columns). */
  column: string;
  /** The customer's value of that column (null when missing). */
  value: string | number | null;
  /**
   * Change in churn probability this column causes, on the 0..1 scale of the risk score
   * (0.12 = +12 probability points); positive raises the risk.
   */
  contribution: number;
}

/** How many drivers a score stores (analytics reads them by position). */
export const STORED_DRIVER_COUNT = 3;

/**
 * The `count` columns that moved this customer's probability most (either way), largest first.
 * Needs an explanation made with `engineered: "split"`, so every entry is an original column.
 */
export function topDrivers(
  explanation: Pick<RecordExplanation, "columns">,
  record: Record<string, string | number | boolean | null | undefined>,
  count = STORED_DRIVER_COUNT,
): RiskDriver[] {
  return [...explanation.columns]
    .sort((a, b) => Math.abs(b.probability) - Math.abs(a.probability) || a.name.localeCompare(b.name))
    .slice(0, count)
    .map((c) => ({
      column: c.name,
      value: driverValue(fieldOf(record, c.name)),
      contribution: round(c.probability, 6),
    }));
}

function driverValue(value: string | number | boolean | null | undefined): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
