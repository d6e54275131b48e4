"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { LiftRow } from "@/lib/ml/metrics";
import { ANIMATION_MS, AXIS_TICK, GRID_STROKE, REFERENCE_STROKE, SERIES_COLORS } from "./chart-theme";
import type { Named } from "./model-curves";

/** Lift per risk decile (decile 1 = the riskiest 10 %): how many times the average churn rate. */
export function LiftBars({ series }: { series: Named<LiftRow[]>[] }) {
  const deciles = Array.from({ length: 10 }, (_, i) => i + 1);
  const rows = deciles.map((decile) => {
    const row: Record<string, number | string> = { decile: `${decile}` };
    for (const s of series) row[s.name] = s.data.find((r) => r.decile === decile)?.lift ?? 0;
    return row;
  });
  return (
    <figure aria-label="Lift by risk decile on the held-out test customers" className="w-full">
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={rows} margin={{ top: 8, right: 12, bottom: 20, left: 4 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" stroke={GRID_STROKE} vertical={false} />
          <XAxis
            dataKey="decile"
            tick={AXIS_TICK}
            tickLine={false}
            label={{
              value: "Risk decile (1 = riskiest 10 %)",
              position: "insideBottom",
              offset: -12,
              fontSize: 11,
              fill: "var(--muted-foreground)",
            }}
          />
          <YAxis
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={false}
            width={36}
            tickFormatter={(v: number) => `×${v}`}
          />
          <ReferenceLine y={1} stroke={REFERENCE_STROKE} strokeDasharray="4 4" />
          <Tooltip
            formatter={(value) => [`×${Number(value).toFixed(2)}`, undefined]}
            labelFormatter={(label) => `Decile ${label}`}
            contentStyle={{
              background: "var(--popover)",
              color: "var(--popover-foreground)",
              border: "1px solid var(--border)",
              borderRadius: 6,
              fontSize: 12,
            }}
            cursor={{ fill: "var(--muted)", opacity: 0.5 }}
          />
          {series.length > 1 && <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />}
          {series.map((s, i) => (
            <Bar
              key={s.name}
              dataKey={s.name}
              fill={SERIES_COLORS[i % SERIES_COLORS.length]}
              radius={[3, 3, 0, 0]}
              animationDuration={ANIMATION_MS}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
