import { createRng } from "../random";

/**
 * A small churn table with known signal, for tests: churn is likelier with short tenure, a
 * month-to-month contract and high monthly charges; `region` is pure noise; `total_charges` is
 * blank for a few rows (as Telco's TotalCharges). Rows are raw strings, as parsed from a CSV.
 */
export interface SyntheticChurnTable {
  columns: string[];
  rows: string[][];
}

export const SYNTHETIC_COLUMNS = [
  "customer_id",
  "tenure",
  "contract",
  "monthly_charges",
  "total_charges",
  "region",
  "paperless",
  "churn",
];

export function syntheticChurnTable(rowCount: number, seed = 1): SyntheticChurnTable {
  const rng = createRng(seed);
  const contracts = ["Month-to-month", "One year", "Two year"];
  const regions = ["North", "South", "East", "West"];
  const rows: string[][] = [];
  for (let i = 0; i < rowCount; i++) {
    const tenure = rng.int(72);
    const contract = contracts[rng.int(3)];
    const monthly = 20 + rng.next() * 100;
    const paperless = rng.next() < 0.6 ? "Yes" : "No";
    const z =
      0.5 -
      tenure / 18 +
      (contract === "Month-to-month" ? 1.2 : contract === "One year" ? -0.4 : -1.2) +
      (monthly - 70) / 40;
    const churn = rng.next() < 1 / (1 + Math.exp(-z)) ? "Yes" : "No";
    const total = i % 37 === 5 ? "" : (monthly * Math.max(tenure, 1)).toFixed(2);
    rows.push([
      `C${100000 + i}`,
      String(tenure),
      contract,
      monthly.toFixed(2),
      total,
      regions[rng.int(4)],
      paperless,
      churn,
    ]);
  }
  return { columns: [...SYNTHETIC_COLUMNS], rows };
}

/** The same table as CSV text. */
export function syntheticChurnCsv(rowCount: number, seed = 1): string {
  const { columns, rows } = syntheticChurnTable(rowCount, seed);
  return `${[columns, ...rows].map((r) => r.join(",")).join("\n")}\n`;
}
