import type { Algorithm } from "../../lib/ml/types";

/** The per-model numbers the CLI prints (same names as its JSON output). */
export interface LeaderboardRow {
  readonly algorithm: Algorithm;
  readonly cvAuc: number;
  readonly cvAucStd: number;
  readonly f1Churn: number;
  readonly f1Weighted: number;
  readonly brier: number;
  readonly fitSeconds: number;
}

const LABELS: Record<Algorithm, string> = {
  logistic_regression: "logistic regression",
  random_forest: "random forest",
  gradient_boosting: "gradient boosting",
  svm: "SVM",
};

export function algorithmLabel(algorithm: Algorithm): string {
  return LABELS[algorithm];
}

/** Plain-text table, rows sorted by CV AUC, the champion marked with "*". */
export function formatLeaderboard(rows: readonly LeaderboardRow[], champion: Algorithm): string {
  const header = ["", "model", "CV AUC", "± std", "F1 churn", "F1 weighted", "Brier", "fit s/fold"];
  const body = [...rows]
    .sort((a, b) => b.cvAuc - a.cvAuc)
    .map((r) => [
      r.algorithm === champion ? "*" : "",
      algorithmLabel(r.algorithm),
      r.cvAuc.toFixed(4),
      r.cvAucStd.toFixed(4),
      r.f1Churn.toFixed(3),
      r.f1Weighted.toFixed(3),
      r.brier.toFixed(4),
      r.fitSeconds.toFixed(3),
    ]);
  const table = [header, ...body];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c <= 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
