"use client";

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { ANIMATION_MS, AXIS_TICK, GRID_STROKE, SERIES_COLORS } from "@/components/charts/chart-theme";
import { useFormatDate } from "@/components/format/date-time";
import { percent } from "./format";

export interface RiskTrendPoint {
  label: string;
  at: Date;
  meanRisk: number | null;
  highRisk: number | null;
}

/** Mean risk (line, left axis) and high-risk customers (bars, right axis) per scoring, oldest first. */
export function RiskTrendChart({ points, height = 280 }: { points: RiskTrendPoint[]; height?: number }) {
  const formatDate = useFormatDate();
  const data = points.map((p) => ({
    name: `${p.label} (${formatDate(p.at, "date")})`,
    meanRisk: p.meanRisk,
    highRisk: p.highRisk,
  }));
  return (
    <figure aria-label="Mean risk and high-risk customers per scoring" className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" stroke={GRID_STROKE} vertical={false} />
          <XAxis dataKey="name" tick={AXIS_TICK} tickLine={false} interval="preserveStartEnd" />
          <YAxis
            yAxisId="risk"
            domain={[0, 1]}
            tickFormatter={(v: number) => percent(v, 0)}
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={false}
            width={48}
          />
          <YAxis
            yAxisId="count"
            orientation="right"
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={false}
            width={48}
          />
          <Tooltip
            contentStyle={{
              background: "var(--popover)",
              color: "var(--popover-foreground)",
              border: "1px solid var(--border)",
              borderRadius: 6,
              fontSize: 12,
            }}
            formatter={(value, name) =>
              name === "Mean risk"
                ? [percent(Number(value)), name]
                : [Number(value).toLocaleString("en-US"), name]
            }
          />
          <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12 }} />
          <Bar
            yAxisId="count"
            dataKey="highRisk"
            name="High-risk customers"
            fill={SERIES_COLORS[1]}
            radius={[3, 3, 0, 0]}
            animationDuration={ANIMATION_MS}
          />
          <Line
            yAxisId="risk"
            dataKey="meanRisk"
            name="Mean risk"
            stroke={SERIES_COLORS[0]}
            strokeWidth={2}
            dot={{ r: 3 }}
            animationDuration={ANIMATION_MS}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
