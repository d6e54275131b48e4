/**
 * Each input column's share of the model's importance (mean |SHAP| per source, as stored on the
 * model), used to weight its PSI: a shifted column the model barely uses matters little.
 *
 * An engineered feature ("tenure bin", "TotalCharges per tenure month") reads several original
 * columns; its importance is split equally among them, since drift in any of them moves it.
 * Shares sum to 1 over `columns`; when the model reports no importance at all, every column gets
 * the same share.
 */

export interface ImportanceEntry {
  column: string;
  value: number;
}

export function importanceShares(
  columns: readonly string[],
  importance: readonly ImportanceEntry[],
  sourceColumns: ReadonlyMap<string, readonly string[]> = new Map(),
): Map<string, number> {
  const wanted = new Set(columns);
  const raw = new Map<string, number>(columns.map((c) => [c, 0]));
  for (const entry of importance) {
    const value = Number.isFinite(entry.value) ? Math.abs(entry.value) : 0;
    const sources = (sourceColumns.get(entry.column) ?? [entry.column]).filter((c) => wanted.has(c));
    for (const c of sources) raw.set(c, (raw.get(c) ?? 0) + value / sources.length);
  }
  let total = 0;
  for (const v of raw.values()) total += v;
  const shares = new Map<string, number>();
  for (const c of columns) shares.set(c, total > 0 ? (raw.get(c) ?? 0) / total : 1 / columns.length);
  return shares;
}
