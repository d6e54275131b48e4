/**
 * Reading intent from column names: "customerID", "Customer_Id" and "customer id" all become the
 * tokens ["customer", "id"], so name rules are written once, in lower case, without separators.
 */

/** Splits a column name into lower-case word tokens (camelCase, snake_case, spaces, dots). */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

/** Lower-case letters and digits only: "Is Churn?" -> "ischurn". */
export function compactName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}
