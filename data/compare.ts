/**
 * Compares the generated sample with the real IBM Telco file (when it is present): churn rate,
 * a few marginals, churn by group, and the held-out ROC AUC of a quick logistic regression.
 *
 *   npx tsx data/compare.ts [--sample data/telco-sample.csv] [--real ../shared/data/telco-customer-churn.csv]
 *
 * Prints Markdown tables (the ones quoted in data/README.md).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { TELCO_CSV } from "../lib/testing/shared-data";
import { crossValidatedAuc, holdoutAuc, type Table } from "./quick-logit";

export const REAL_TELCO = TELCO_CSV;
export const SAMPLE = path.join(import.meta.dirname, "telco-sample.csv");

export function readTable(file: string): Table {
  const records: string[][] = parse(readFileSync(file, "utf8"), { skip_empty_lines: true });
  return { header: records[0], rows: records.slice(1) };
}

export function column(t: Table, name: string): string[] {
  const i = t.header.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return t.rows.map((r) => r[i]);
}

/** Share of rows per value of `name`. */
export function shares(t: Table, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of column(t, name)) out.set(v, (out.get(v) ?? 0) + 1);
  for (const [k, v] of out) out.set(k, v / t.rows.length);
  return out;
}

/** Churn rate per value of `name`. */
export function churnBy(t: Table, name: string): Map<string, number> {
  const values = column(t, name);
  const churn = column(t, "Churn");
  const n = new Map<string, number>();
  const k = new Map<string, number>();
  values.forEach((v, i) => {
    n.set(v, (n.get(v) ?? 0) + 1);
    if (churn[i] === "Yes") k.set(v, (k.get(v) ?? 0) + 1);
  });
  return new Map([...n].map(([v, c]) => [v, (k.get(v) ?? 0) / c]));
}

export function churnRate(t: Table): number {
  const c = column(t, "Churn");
  return c.filter((v) => v === "Yes").length / c.length;
}

function numbers(t: Table, name: string): number[] {
  return column(t, name)
    .filter((v) => v.trim() !== "")
    .map(Number)
    .sort((a, b) => a - b);
}

const pct = (x: number | undefined) => (x === undefined ? "–" : `${(100 * x).toFixed(1)} %`);
const quantile = (s: number[], q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];

/** Markdown report comparing the tables (the first is the sample). */
export function report(tables: { label: string; table: Table }[]): string {
  const lines: string[] = [];
  const head = `| | ${tables.map((t) => t.label).join(" | ")} |`;
  const rule = `| --- | ${tables.map(() => "---").join(" | ")} |`;
  const row = (label: string, f: (t: Table) => string) =>
    lines.push(`| ${label} | ${tables.map(({ table }) => f(table)).join(" | ")} |`);

  lines.push(head, rule);
  row("rows", (t) => String(t.rows.length));
  row("churn rate", (t) => pct(churnRate(t)));
  row("tenure 0 (blank TotalCharges)", (t) => String(column(t, "tenure").filter((v) => v === "0").length));
  row("tenure mean / median", (t) => {
    const s = numbers(t, "tenure");
    return `${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(1)} / ${quantile(s, 0.5)}`;
  });
  row("tenure = 1 / = 72", (t) => {
    const s = column(t, "tenure");
    return `${pct(s.filter((v) => v === "1").length / s.length)} / ${pct(s.filter((v) => v === "72").length / s.length)}`;
  });
  row("MonthlyCharges min / mean / max", (t) => {
    const s = numbers(t, "MonthlyCharges");
    return `${s[0]} / ${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(2)} / ${s[s.length - 1]}`;
  });
  row("TotalCharges median", (t) => String(quantile(numbers(t, "TotalCharges"), 0.5)));
  for (const [col, values] of [
    ["SeniorCitizen", ["1"]],
    ["Partner", ["Yes"]],
    ["Dependents", ["Yes"]],
    ["PhoneService", ["Yes"]],
    ["MultipleLines", ["Yes"]],
    ["InternetService", ["DSL", "Fiber optic", "No"]],
    ["OnlineSecurity", ["Yes"]],
    ["TechSupport", ["Yes"]],
    ["StreamingTV", ["Yes"]],
    ["Contract", ["Month-to-month", "One year", "Two year"]],
    ["PaperlessBilling", ["Yes"]],
    [
      "PaymentMethod",
      ["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"],
    ],
  ] as const) {
    for (const v of values) row(`${col} = ${v}`, (t) => pct(shares(t, col).get(v)));
  }
  lines.push("", "Churn rate by group:", "", head, rule);
  for (const [col, values] of [
    ["Contract", ["Month-to-month", "One year", "Two year"]],
    ["InternetService", ["DSL", "Fiber optic", "No"]],
    [
      "PaymentMethod",
      ["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"],
    ],
    ["TechSupport", ["No", "Yes"]],
    ["OnlineSecurity", ["No", "Yes"]],
    ["SeniorCitizen", ["0", "1"]],
    ["PaperlessBilling", ["No", "Yes"]],
  ] as const) {
    for (const v of values) row(`${col} = ${v}`, (t) => pct(churnBy(t, col).get(v)));
  }
  row("tenure 1–6 months", (t) => {
    const ten = column(t, "tenure");
    const ch = column(t, "Churn");
    const idx = ten.map((v, i) => (Number(v) <= 6 && Number(v) > 0 ? i : -1)).filter((i) => i >= 0);
    return pct(idx.filter((i) => ch[i] === "Yes").length / idx.length);
  });
  row("tenure > 48 months", (t) => {
    const ten = column(t, "tenure");
    const ch = column(t, "Churn");
    const idx = ten.map((v, i) => (Number(v) > 48 ? i : -1)).filter((i) => i >= 0);
    return pct(idx.filter((i) => ch[i] === "Yes").length / idx.length);
  });
  lines.push(
    "",
    "Quick logistic regression (one-hot, standardised numbers; stratified 5-fold CV and 80/20 split, seed 42):",
    "",
  );
  lines.push(head, rule);
  const aucs = tables.map(({ table }) => holdoutAuc(table, 42));
  lines.push(
    `| ROC AUC, 5-fold CV mean | ${tables.map(({ table }) => crossValidatedAuc(table, 5, 42).toFixed(3)).join(" | ")} |`,
  );
  lines.push(`| ROC AUC, held-out 20 % | ${aucs.map((a) => a.auc.toFixed(3)).join(" | ")} |`);
  lines.push(`| ROC AUC, training 80 % | ${aucs.map((a) => a.trainAuc.toFixed(3)).join(" | ")} |`);
  return lines.join("\n");
}

function main(argv: readonly string[]): number {
  let sample = SAMPLE;
  let real = REAL_TELCO;
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === "--sample") sample = path.resolve(argv[i + 1]);
    else if (argv[i] === "--real") real = path.resolve(argv[i + 1]);
    else {
      console.error(
        `unknown option ${argv[i]}\nUsage: npx tsx data/compare.ts [--sample file] [--real file]`,
      );
      return 2;
    }
  }
  const tables = [{ label: "sample (seed 42)", table: readTable(sample) }];
  if (existsSync(real)) tables.push({ label: "IBM Telco", table: readTable(real) });
  else console.error(`(real file not found at ${real}; reporting the sample only)`);
  console.log(report(tables));
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
