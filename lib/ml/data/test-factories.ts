/**
 * Small factories of test tables (used by the tests of lib/ml/data, features and balance; not
 * exported from index.ts). Built from a seed, so every test sees the same rows.
 */
import { createRng } from "../random";
import type { ParsedCsv } from "./csv";

/** Writes rows as CSV text, quoting values that need it. */
export function toCsv(
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  options: { delimiter?: string; eol?: string; bom?: boolean } = {},
): string {
  const delimiter = options.delimiter ?? ",";
  const eol = options.eol ?? "\n";
  const quote = (v: string) =>
    v.includes(delimiter) || v.includes('"') || v.includes("\n") || v.includes("\r")
      ? `"${v.replaceAll('"', '""')}"`
      : v;
  const lines = [columns, ...rows].map((r) => r.map(quote).join(delimiter));
  return (options.bom ? "\ufeff" : "") + lines.join(eol) + eol;
}

const SURNAMES = [
  "Hargrave",
  "Onio",
  "Boni",
  "Mitchell",
  "Chu",
  "Bartlett",
  "Obinna",
  "He",
  "Bearce",
  "Andrews",
];
const FIRST_NAMES = ["Ana", "Ben", "Chloe", "Dmitri", "Emeka", "Fatima", "Gus", "Hana", "Ivo", "Jun"];

/**
 * A bank-churn-like table (the shape of the public "Churn_Modelling" data): RowNumber,
 * CustomerId, Surname, CreditScore, Geography, Gender, Age, Tenure (years), Balance,
 * NumOfProducts, HasCrCard, IsActiveMember, EstimatedSalary, Exited; plus Email and Phone.
 * Exited depends on Age, IsActiveMember, Geography and NumOfProducts, as in the real data.
 */
export function makeBankChurnTable(n: number, seed = 7): ParsedCsv {
  const rng = createRng(seed);
  const columns = [
    "RowNumber",
    "CustomerId",
    "Surname",
    "FirstName",
    "Email",
    "Phone",
    "CreditScore",
    "Geography",
    "Gender",
    "Age",
    "Tenure",
    "Balance",
    "NumOfProducts",
    "HasCrCard",
    "IsActiveMember",
    "EstimatedSalary",
    "Exited",
  ];
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const geography = ["France", "Germany", "Spain"][rng.int(3)];
    const age = 18 + rng.int(60);
    const active = rng.next() < 0.5 ? 1 : 0;
    const products = 1 + rng.int(4);
    const logit =
      -3 + 0.06 * (age - 38) - 0.9 * active + (geography === "Germany" ? 0.7 : 0) + (products >= 3 ? 2 : 0);
    const exited = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    const surname = `${SURNAMES[rng.int(SURNAMES.length)]}${i % 97}`;
    const first = FIRST_NAMES[rng.int(FIRST_NAMES.length)];
    rows.push([
      String(i + 1),
      String(15_600_000 + i * 7),
      surname,
      first,
      `${first.toLowerCase()}.${surname.toLowerCase()}${i}@example.com`,
      `+44 (0)20 ${String(7000_0000 + i * 13).slice(0, 4)} ${String(1000 + i).slice(-4)}`,
      String(350 + rng.int(500)),
      geography,
      rng.next() < 0.5 ? "Female" : "Male",
      String(age),
      String(rng.int(11)),
      rng.next() < 0.35 ? "0.0" : (50_000 + rng.next() * 150_000).toFixed(2),
      String(products),
      rng.next() < 0.7 ? "1" : "0",
      String(active),
      (10_000 + rng.next() * 190_000).toFixed(2),
      String(exited),
    ]);
  }
  return { columns, rows, delimiter: ",", skippedBlankRows: 0, notes: [] };
}

/**
 * A generic churn table with a known signal: `signal` (numeric) and `plan` (categorical) drive
 * the target; `noise` does not. Rows have missing values in `signal` and `plan` at `missingRate`.
 */
export function makeSignalTable(n: number, seed = 1, missingRate = 0.05): ParsedCsv {
  const rng = createRng(seed);
  const columns = ["id", "signal", "noise", "plan", "region", "churned"];
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const signal = rng.normal();
    const plan = ["basic", "plus", "pro"][rng.int(3)];
    const logit = 1.5 * signal + (plan === "basic" ? 1 : plan === "pro" ? -1 : 0) - 1;
    const churned = rng.next() < 1 / (1 + Math.exp(-logit));
    rows.push([
      `C${String(i).padStart(5, "0")}`,
      rng.next() < missingRate ? "" : signal.toFixed(4),
      rng.normal().toFixed(4),
      rng.next() < missingRate ? "NA" : plan,
      ["north", "south", "east", "west"][rng.int(4)],
      churned ? "yes" : "no",
    ]);
  }
  return { columns, rows, delimiter: ",", skippedBlankRows: 0, notes: [] };
}
