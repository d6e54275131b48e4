"use client";

import Link from "next/link";
import type { SegmentExplorer, SegmentRow } from "@/server/services/analytics";
import { count, customersHref, percent } from "./format";

export type HeatmapMetric = "churn" | "risk";

const METRIC: Record<HeatmapMetric, { label: string; value: (r: SegmentRow) => number | null }> = {
  churn: { label: "Observed churn", value: (r) => r.observedChurnRate },
  risk: { label: "Mean risk of active customers", value: (r) => r.meanRisk },
};

/**
 * Two columns crossed: one cell per pair, shaded by the chosen rate (the accent colour's opacity,
 * so it reads in dark mode too). Each cell names its numbers for screen readers and links to the
 * customers when both values are categories.
 */
export function SegmentHeatmap({ explorer, metric }: { explorer: SegmentExplorer; metric: HeatmapMetric }) {
  const [rowsColumn, colsColumn] = explorer.columns;
  if (!rowsColumn || !colsColumn) return null;
  const cells = new Map(explorer.rows.map((r) => [`${r.key[0].label}\u0000${r.key[1].label}`, r]));
  const values = explorer.rows.map((r) => METRIC[metric].value(r)).filter((v): v is number => v !== null);
  const max = Math.max(0.0001, ...values);
  return (
    <div className="overflow-x-auto">
      <table
        className="w-full border-separate border-spacing-1 text-sm"
        aria-label={`${METRIC[metric].label} by ${rowsColumn.name} and ${colsColumn.name}`}
      >
        <thead>
          <tr>
            <th scope="col" className="p-2 text-left font-medium text-muted-foreground text-xs">
              {rowsColumn.name} ↓ · {colsColumn.name} →
            </th>
            {colsColumn.labels.map((label) => (
              <th key={label} scope="col" className="p-2 text-center font-medium text-xs">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rowsColumn.labels.map((rowLabel) => (
            <tr key={rowLabel}>
              <th scope="row" className="p-2 text-left font-medium text-xs">
                {rowLabel}
              </th>
              {colsColumn.labels.map((colLabel) => {
                const cell = cells.get(`${rowLabel}\u0000${colLabel}`);
                const value = cell ? METRIC[metric].value(cell) : null;
                const shade = value === null ? 0 : 0.08 + 0.82 * (value / max);
                const content = (
                  <>
                    <span className="block font-semibold tabular-nums">{percent(value)}</span>
                    <span className="block text-[11px] opacity-80 tabular-nums">
                      {cell ? `${count(cell.active)} active` : "no customers"}
                    </span>
                  </>
                );
                return (
                  <td
                    key={colLabel}
                    className="relative min-w-24 rounded-md p-2 text-center"
                    style={{
                      backgroundColor: `color-mix(in oklab, var(--primary) ${Math.round(shade * 100)}%, transparent)`,
                      color: shade > 0.55 ? "var(--primary-foreground)" : undefined,
                    }}
                  >
                    {cell?.customerFilters ? (
                      <Link
                        href={customersHref(explorer.datasetId, cell.customerFilters)}
                        className="block rounded-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                        aria-label={`${rowLabel}, ${colLabel}: ${METRIC[metric].label} ${percent(value)}, ${cell.active} active customers. View customers`}
                      >
                        {content}
                      </Link>
                    ) : (
                      content
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const HEATMAP_METRICS = METRIC;
