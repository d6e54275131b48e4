/**
 * Which column says how long someone has been a customer (Telco's `tenure`): what retention curves
 * are drawn over. Found by name among numeric, non-negative columns; a user can choose another.
 */

export interface DurationCandidate {
  name: string;
  type: string;
  role: string;
  /** Smallest value seen, when known. */
  min?: number;
}

export type DurationUnit = "months" | "days" | "weeks" | "years" | "periods";

const STRONG =
  /tenure|lifetime|customerage|accountage|accountlength|monthsactive|monthsascustomer|dayssince(signup|joined|start)|subscriptionlength|membershipmonths|monthssubscribed/;
const WEAK = /months?$|^months?|days?$|weeks?$|years?$|duration|since|age$/;

const normalized = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

function isDurationLike(c: DurationCandidate): boolean {
  return c.type === "numeric" && c.role !== "target" && c.role !== "identifier" && (c.min ?? 0) >= 0;
}

/** The best tenure-like column, or null. Strong names ("tenure") beat weak ones ("Months"). */
export function detectDurationColumn(columns: readonly DurationCandidate[]): string | null {
  const eligible = columns.filter(isDurationLike);
  const strong = eligible.find((c) => STRONG.test(normalized(c.name)));
  if (strong) return strong.name;
  // "MonthlyCharges" is money per month, not a duration.
  const weak = eligible.find((c) => {
    const n = normalized(c.name);
    return WEAK.test(n) && !/monthly|charge|fee|price|amount|revenue|spend/.test(n);
  });
  return weak?.name ?? null;
}

/** Columns a user may choose as the duration instead (numeric, never negative). */
export function durationChoices(columns: readonly DurationCandidate[]): string[] {
  return columns.filter(isDurationLike).map((c) => c.name);
}

export function durationUnitOf(name: string): DurationUnit {
  const n = normalized(name);
  if (/day/.test(n)) return "days";
  if (/week/.test(n)) return "weeks";
  if (/year/.test(n)) return "years";
  if (/month|tenure/.test(n)) return "months";
  return "periods";
}
