/**
 * Analytics tables as CSV, with the same injection-safe cells as every other export (csvCell):
 * a segment value such as "=HYPERLINK(...)" from an uploaded file reaches a spreadsheet as text.
 */
import { csvLine } from "../batch-scoring/csv-out";
import type { RetentionAnalysis } from "./retention";
import type { RiskTrend } from "./risk-trend";
import type { SegmentExplorer } from "./segments";

const round = (value: number | null, digits = 6) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

/** A UTF-8 byte order mark first, so spreadsheet programs read accents correctly. */
const BOM = "\ufeff";

export function segmentsCsv(explorer: SegmentExplorer): string {
  const header = [
    ...explorer.columns.map((c) => c.name),
    "customers",
    "active_customers",
    "lost_customers",
    "observed_churn_rate",
    "mean_risk_active",
    "high_risk_active",
    "monthly_revenue_at_risk",
    "top_drivers",
  ];
  let text = BOM + csvLine(header);
  for (const r of explorer.rows) {
    text += csvLine([
      ...r.key.map((k) => k.label),
      r.customers,
      r.active,
      r.lost,
      round(r.observedChurnRate),
      round(r.meanRisk),
      r.highRisk,
      round(r.revenueAtRisk, 2),
      r.topDrivers
        .map(
          (d) =>
            `${d.column} (${(d.segmentPoints * 100).toFixed(1)} pts vs ${(d.overallPoints * 100).toFixed(1)})`,
        )
        .join("; "),
    ]);
  }
  return text;
}

export function retentionCsv(analysis: RetentionAnalysis): string {
  const unit = analysis.unit ?? "periods";
  let text =
    BOM +
    csvLine([
      "curve",
      `time_${unit}`,
      "at_risk",
      "left",
      "still_customers_censored",
      "survival",
      "lower_95",
      "upper_95",
    ]);
  const curves = analysis.overall ? [analysis.overall, ...analysis.segments] : analysis.segments;
  for (const c of curves) {
    for (const p of c.points) {
      text += csvLine([
        c.label,
        p.time,
        p.atRisk,
        p.events,
        p.censored,
        round(p.survival),
        round(p.lower),
        round(p.upper),
      ]);
    }
  }
  return text;
}

export function riskTrendCsv(trend: RiskTrend): string {
  let text = BOM + csvLine(["scored_by", "scored_at", "active_customers_or_rows", "mean_risk", "high_risk"]);
  const rows = [
    ...trend.models.map((m) => ({
      by: `model v${m.version} (${m.algorithm})`,
      at: m.scoredAt,
      n: m.customers,
      mean: m.meanRisk,
      high: m.highRisk,
    })),
    ...trend.batches.map((b) => ({
      by: `file ${b.fileName}`,
      at: b.scoredAt,
      n: b.rows,
      mean: b.meanRisk,
      high: b.highRisk,
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const r of rows) text += csvLine([r.by, r.at.toISOString(), r.n, round(r.mean), r.high]);
  return text;
}

/** "Telco-segments-Contract.csv": letters, digits, dot, dash and underscore only. */
export function analyticsFileName(datasetName: string, table: string, parts: readonly string[] = []): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "");
  return `${[safe(datasetName) || "dataset", table, ...parts.map(safe)].filter(Boolean).join("-").slice(0, 150)}.csv`;
}
