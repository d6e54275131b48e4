/**
 * Writing the scored CSV: RFC 4180 quoting, and protection against formula injection (a cell a
 * spreadsheet would run as a formula — starting with = + - @, tab or carriage return — gets a
 * leading apostrophe, OWASP's advice). Plain numbers such as "-3.5" are left alone: they cannot be
 * formulas, and prefixing them would turn every negative number into text.
 */
import type { RiskDriver } from "../scoring";

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value;
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** "+18 pts", "-3.5 pts": probability points with one decimal when under ten. */
export function formatPoints(contribution: number): string {
  const points = contribution * 100;
  const rounded = Math.abs(points) >= 10 ? Math.round(points) : Math.round(points * 10) / 10;
  return `${rounded > 0 ? "+" : rounded < 0 ? "-" : "±"}${Math.abs(rounded)} pts`;
}

/** "Contract=Month-to-month (+18 pts); tenure=2 (+9.1 pts)". */
export function driversText(drivers: readonly RiskDriver[]): string {
  return drivers
    .map((d) => `${d.column}=${d.value === null ? "(missing)" : d.value} (${formatPoints(d.contribution)})`)
    .join("; ");
}

const WARNING_WORDS: Record<string, string> = {
  missing: "missing",
  unreadable: "unreadable",
  unseen_category: "unknown category",
};

/** "TotalCharges: missing; Contract: unknown category". */
export function warningsText(warnings: readonly { field: string; code: string }[] | null): string {
  if (!warnings?.length) return "";
  return warnings.map((w) => `${w.field}: ${WARNING_WORDS[w.code] ?? w.code}`).join("; ");
}

/**
 * A download name from the uploaded one: "<name>-scored.csv" with only letters, digits, dot, dash
 * and underscore (the header's ASCII filename); the UTF-8 original goes in filename*.
 */
export function scoredCsvFileName(uploaded: string): { ascii: string; utf8: string } {
  const base = uploaded.replace(/\.csv$/i, "").trim() || "batch";
  const ascii = `${
    base
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^[-.]+|-+$/g, "")
      .slice(0, 100) || "batch"
  }-scored.csv`;
  return { ascii, utf8: `${base.slice(0, 150)}-scored.csv` };
}

export function contentDisposition(uploaded: string): string {
  const { ascii, utf8 } = scoredCsvFileName(uploaded);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(utf8).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
