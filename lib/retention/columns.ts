/**
 * Which model inputs the business can change ("actionable": contract, payment, services, price)
 * and which only describe the customer ("context": tenure, age, household, region). No library
 * knows what a churn team can act on, so this is a short list of name patterns, matched on names
 * normalised for case, spaces and underscores (`PaymentMethod` = `payment_method` = `Payment Method`).
 * Unknown columns are context: we never propose changing something nobody can change.
 */

export type ColumnKind = "actionable" | "context";

/** "Payment Method" → "paymentmethod": lower case, letters and digits only. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

// Checked first: cumulative or descriptive columns that merely contain an actionable word
// (TotalCharges grows with tenure; nobody lowers a customer's lifetime spend to keep them).
const CONTEXT_PATTERNS = [
  /^total/,
  /lifetime/,
  /tenure/,
  /^age$|^age[^n]|customerage/,
  /senior/,
  /gender|^sex$/,
  /partner|married|spouse/,
  /dependent|children|kids/,
  /region|country|state$|city|zip|postcode|location/,
  /since|joined|signup/,
];

const ACTIONABLE_PATTERNS = [
  /contract/,
  /payment|autopay|billingmethod/,
  /paperless|billing/,
  /onlinesecurity|security/,
  /backup/,
  /deviceprotection|protection|insurance/,
  /techsupport|support/,
  /streaming/,
  /multiplelines/,
  /internetservice|internet/,
  /phoneservice/,
  /addon|bundle|service/,
  /price|charge|fee|plan|discount|tariff|bill|cost/,
];

/** The kind of one column by name; `overrides` (column name → kind, any spelling) win. */
export function classifyColumn(name: string, overrides?: Readonly<Record<string, ColumnKind>>): ColumnKind {
  const key = normalizeName(name);
  if (overrides) {
    for (const [column, kind] of Object.entries(overrides)) if (normalizeName(column) === key) return kind;
  }
  if (key === "") return "context";
  if (CONTEXT_PATTERNS.some((p) => p.test(key))) return "context";
  if (ACTIONABLE_PATTERNS.some((p) => p.test(key))) return "actionable";
  return "context";
}

/** Kinds of every column by original name (a Map: column names are data, `constructor` included). */
export function columnKinds(
  names: readonly string[],
  overrides?: Readonly<Record<string, ColumnKind>>,
): Map<string, ColumnKind> {
  return new Map(names.map((name) => [name, classifyColumn(name, overrides)]));
}

/** Numeric columns where "lower" means a cheaper deal for the customer (price, charges, fees). */
export function isPriceColumn(name: string): boolean {
  const key = normalizeName(name);
  return !/^total|lifetime/.test(key) && /price|charge|fee|tariff|bill|cost|amount/.test(key);
}
