/** Drivers in plain words: "Contract = Month-to-month raises risk by 18 points". */

export type CellValue = string | number | boolean | null;

/** A customer's value for display: missing → "(missing)", numbers without float noise. */
export function formatValue(value: CellValue | undefined): string {
  if (value === null || value === undefined) return "(missing)";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toFixed(2)));
  }
  const trimmed = value.trim();
  return trimmed === "" ? "(missing)" : trimmed;
}

/**
 * The size of a change in churn probability (0..1) in whole probability points, without sign:
 * 0.183 → "18 points", 0.012 → "1 point", 0.002 → "<1 point".
 */
export function formatPoints(probability: number): string {
  const points = Math.abs(probability) * 100;
  if (points < 0.5) return "<1 point";
  const rounded = Math.round(points);
  return rounded === 1 ? "1 point" : `${rounded} points`;
}

/** Signed whole points for compact displays: "+18", "−5", "<1" (sign kept: "+<1"). */
export function formatSignedPoints(probability: number): string {
  const points = Math.abs(probability) * 100;
  const sign = probability > 0 ? "+" : probability < 0 ? "−" : "";
  return points < 0.5 ? `${sign}<1` : `${sign}${Math.round(points)}`;
}

/** A risk score as a whole percentage: 0.634 → "63 %". */
export function formatRisk(probability: number): string {
  return `${Math.round(probability * 100)} %`;
}

/** "Contract = Month-to-month raises risk by 18 points" / "tenure = 2 lowers risk by 5 points". */
export function describeDriver(column: string, value: CellValue | undefined, probability: number): string {
  const verb = probability >= 0 ? "raises" : "lowers";
  return `${column} = ${formatValue(value)} ${verb} risk by ${formatPoints(probability)}`;
}
