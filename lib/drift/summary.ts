/**
 * One drift report: PSI per input column weighted by the column's importance share, PSI of the
 * predicted risk, the change in observed churn rate, an overall level and a verdict in words.
 *
 * Overall level = the worst of: the importance-weighted mean PSI (Σ share × PSI), the risk's PSI,
 * and each *important* column's PSI. An important column is one the model leans on: among its three
 * most important inputs, or at least IMPORTANT_SHARE (5 %) of its importance. An alert is raised
 * when an important column's PSI passes SIGNIFICANT_PSI (0.2).
 */
import { formatPercentEdge } from "./bins";
import type { DriftAccumulator, DriftBin, DriftReference } from "./monitor";
import { driftBins } from "./monitor";
import { populationStabilityIndex } from "./psi";
import { type DriftLevel, driftLevel, SIGNIFICANT_PSI, worstLevel } from "./verdict";

export const IMPORTANT_SHARE = 0.05;
export const IMPORTANT_TOP = 3;

export interface ColumnDrift {
  column: string;
  kind: "numeric" | "categorical";
  /** Null when either side had no rows. */
  psi: number | null;
  level: DriftLevel;
  /** The column's share of the model's importance, 0..1. */
  importance: number;
  /** psi × importance: the table's sort key. */
  weightedPsi: number;
  isImportant: boolean;
  /** The new data has no such column (every row counts as missing). */
  isAbsent: boolean;
  bins: DriftBin[];
}

export interface DriftSummary {
  baselineRows: number;
  rows: number;
  /** Sorted by weightedPsi, largest first (then PSI, then name). */
  columns: ColumnDrift[];
  weightedPsi: number;
  risk: { psi: number | null; level: DriftLevel; bins: DriftBin[] } | null;
  /** Observed churn rate (0..1) of the labelled rows on each side; change = current − baseline. */
  churn: { baselineRate: number; currentRate: number; change: number } | null;
  level: DriftLevel;
  /** Important columns whose PSI is above SIGNIFICANT_PSI, most important first. */
  alertColumns: string[];
  verdict: string;
}

const round = (x: number, digits = 6) => Number(x.toFixed(digits));

function listNames(names: readonly string[]): string {
  const quoted = names.map((n) => `“${n}”`);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

export function summarizeDrift(
  reference: DriftReference,
  current: DriftAccumulator,
  shares: ReadonlyMap<string, number>,
): DriftSummary {
  const counted = current.columnCounts();
  const byImportance = reference.columns
    .map((c) => c.feature.name)
    .sort((a, b) => (shares.get(b) ?? 0) - (shares.get(a) ?? 0));
  const top = new Set(byImportance.slice(0, IMPORTANT_TOP).filter((c) => (shares.get(c) ?? 0) > 0));
  const columns: ColumnDrift[] = reference.columns.map((ref, j) => {
    const { counts, isAbsent } = counted[j];
    const psi = populationStabilityIndex(ref.counts, counts);
    const importance = shares.get(ref.feature.name) ?? 0;
    return {
      column: ref.feature.name,
      kind: ref.feature.kind,
      psi: psi === null ? null : round(psi),
      level: driftLevel(psi),
      importance: round(importance),
      weightedPsi: round((psi ?? 0) * importance),
      isImportant: top.has(ref.feature.name) || importance >= IMPORTANT_SHARE,
      isAbsent,
      bins: driftBins(ref.binning, ref.counts, counts),
    };
  });
  columns.sort(
    (a, b) =>
      b.weightedPsi - a.weightedPsi ||
      (b.psi ?? 0) - (a.psi ?? 0) ||
      (a.column < b.column ? -1 : a.column > b.column ? 1 : 0),
  );
  const weightedPsi = round(columns.reduce((s, c) => s + c.weightedPsi, 0));

  let risk: DriftSummary["risk"] = null;
  const riskCounts = current.riskCounts();
  if (reference.risk && riskCounts) {
    const psi = populationStabilityIndex(reference.risk.counts, riskCounts);
    risk = {
      psi: psi === null ? null : round(psi),
      level: driftLevel(psi),
      bins: driftBins(reference.risk.binning, reference.risk.counts, riskCounts, formatPercentEdge),
    };
  }

  const now = current.churn();
  const churn =
    reference.churn && now
      ? {
          baselineRate: round(reference.churn.positives / reference.churn.labelled),
          currentRate: round(now.positives / now.labelled),
          change: round(now.positives / now.labelled - reference.churn.positives / reference.churn.labelled),
        }
      : null;

  const important = columns.filter((c) => c.isImportant);
  const alertColumns = important
    .filter((c) => c.psi !== null && c.psi > SIGNIFICANT_PSI)
    .sort((a, b) => b.importance - a.importance)
    .map((c) => c.column);
  const level = worstLevel([
    driftLevel(weightedPsi),
    risk?.level ?? "stable",
    ...important.map((c) => c.level),
  ]);
  return {
    baselineRows: reference.rows,
    rows: current.rows,
    columns,
    weightedPsi,
    risk,
    churn,
    level,
    alertColumns,
    verdict: verdictOf(level, columns, risk, alertColumns),
  };
}

function verdictOf(
  level: DriftLevel,
  columns: readonly ColumnDrift[],
  risk: DriftSummary["risk"],
  alertColumns: readonly string[],
): string {
  const riskMoved = risk?.psi !== null && risk !== null && risk.level !== "stable";
  const riskText = riskMoved ? ` The predicted risk moved too (PSI ${risk?.psi?.toFixed(2)}).` : "";
  if (level === "significant") {
    const names = alertColumns.length
      ? alertColumns
      : columns
          .filter((c) => c.isImportant && c.level === "significant")
          .map((c) => c.column)
          .slice(0, 3);
    const what = names.length
      ? `${listNames(names.slice(0, 3))}${names.length > 3 ? ` and ${names.length - 3} more` : ""} shifted strongly since the model was trained (PSI above 0.2).`
      : "the data as a whole shifted strongly since the model was trained.";
    return `Significant drift: ${what}${riskText} The model's risk scores may be off for these customers; retrain it on the new data.`;
  }
  if (level === "moderate") {
    const names = columns
      .filter((c) => c.level !== "stable")
      .slice(0, 3)
      .map((c) => c.column);
    const what = names.length
      ? `${listNames(names)} moved somewhat (PSI 0.1–0.2).`
      : "the data moved somewhat overall.";
    return `Moderate drift: ${what}${riskText} Keep an eye on it; retraining is not urgent yet.`;
  }
  return "Stable: the new data looks like the data the model was trained on (no important column moved by 0.1 PSI or more).";
}
