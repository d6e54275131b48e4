/** Display helpers for analytics (no React, no server code). */
export { formatMoney } from "@/lib/format/money";

/** 0.263 → "26.3 %"; null → "—". */
export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? "—"
    : `${(value * 100).toFixed(digits)} %`;
}

/** A driver's mean contribution in probability points: "+12.3 pts". */
export function points(value: number): string {
  const p = value * 100;
  return `${p > 0 ? "+" : p < 0 ? "−" : "±"}${Math.abs(p).toFixed(1)} pts`;
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : value.toLocaleString("en-US");
}

/** "14 months", "1 month", "—". */
export function duration(value: number | null | undefined, unit: string | null): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const rounded = value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  const u = unit ?? "periods";
  return `${rounded.toLocaleString("en-US")} ${rounded === 1 ? u.replace(/s$/, "") : u}`;
}

/** The customers list filtered to one segment (categorical values only). */
export function customersHref(datasetId: number, filters: { column: string; value: string }[]): string {
  const params = new URLSearchParams({ dataset: String(datasetId) });
  for (const f of filters) params.append(`f.${f.column}`, f.value);
  return `/customers?${params.toString()}`;
}
