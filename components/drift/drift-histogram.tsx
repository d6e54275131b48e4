"use client";

import { Bar, BarChart, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ANIMATION_MS, AXIS_TICK, SERIES_COLORS } from "@/components/charts/chart-theme";

export interface DriftHistogramBin {
  label: string;
  expected: number;
  actual: number;
}

const pct = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.01 ? 1 : 0)} %`;

/**
 * Before (training) and after (new data) shares per bin, side by side. `compact` draws the small
 * table version without axes; the full one has axes, a legend and a tooltip.
 */
export function DriftHistogram({
  bins,
  label,
  compact = false,
  height,
}: {
  bins: DriftHistogramBin[];
  label: string;
  compact?: boolean;
  height?: number;
}) {
  const data = bins.map((b) => ({ name: b.label, Training: b.expected, "New data": b.actual }));
  const summary = bins
    .map((b) => `${b.label}: ${pct(b.expected)} in training, ${pct(b.actual)} now`)
    .join("; ");
  return (
    <figure aria-label={`${label}: ${summary}`} className="w-full" title={compact ? summary : undefined}>
      <ResponsiveContainer width="100%" height={height ?? (compact ? 44 : 240)}>
        <BarChart
          data={data}
          margin={
            compact ? { top: 2, right: 0, bottom: 0, left: 0 } : { top: 8, right: 8, bottom: 8, left: 0 }
          }
          barGap={0}
          barCategoryGap={compact ? 1 : "15%"}
        >
          {!compact && (
            <XAxis
              dataKey="name"
              tick={AXIS_TICK}
              tickLine={false}
              interval={0}
              angle={bins.length > 6 ? -30 : 0}
              textAnchor={bins.length > 6 ? "end" : "middle"}
              height={bins.length > 6 ? 64 : 30}
            />
          )}
          {!compact && (
            <YAxis tickFormatter={pct} tick={AXIS_TICK} tickLine={false} axisLine={false} width={48} />
          )}
          {!compact && (
            <Tooltip
              formatter={(v) => pct(Number(v))}
              contentStyle={{
                background: "var(--popover)",
                border: "1px solid var(--border)",
                borderRadius: 8,
              }}
            />
          )}
          {!compact && <Legend wrapperStyle={{ fontSize: 12 }} />}
          <Bar
            dataKey="Training"
            fill={SERIES_COLORS[1]}
            animationDuration={ANIMATION_MS}
            isAnimationActive={!compact}
          />
          <Bar
            dataKey="New data"
            fill={SERIES_COLORS[0]}
            animationDuration={ANIMATION_MS}
            isAnimationActive={!compact}
          />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
