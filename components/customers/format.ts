/** Display helpers for customers: risk, money, driver values (no React, no server code). */

/** 0.4234 → "42.3 %" */
export function formatRisk(score: number | null | undefined, digits = 1): string {
  return score === null || score === undefined || Number.isNaN(score)
    ? "—"
    : `${(score * 100).toFixed(digits)} %`;
}

/** Monthly amounts in the file's own currency: "1,234.50"; missing → "—". */
export function formatMoney(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A driver's contribution in probability points: "+12.3 pts", "−4.0 pts". */
export function formatPoints(contribution: number): string {
  const points = contribution * 100;
  const sign = points > 0 ? "+" : points < 0 ? "−" : "±";
  return `${sign}${Math.abs(points).toFixed(1)} pts`;
}

export function formatFieldValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === "") return "(missing)";
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
  return String(value);
}
