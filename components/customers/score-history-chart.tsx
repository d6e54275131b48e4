"use client";

import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import {
  ANIMATION_MS,
  AXIS_TICK,
  GRID_STROKE,
  REFERENCE_STROKE,
  SERIES_COLORS,
} from "@/components/charts/chart-theme";
import { algorithmName } from "@/components/models/format";

export interface ScoreHistoryPoint {
  version: number;
  algorithm: string;
  riskScore: number;
}

/**
 * Risk score of one customer by model version (each model that scored them), with the risk bands
 * as dashed lines. The table beside it carries the same numbers for screen readers.
 */
export function ScoreHistoryChart({
  points,
  bands,
}: {
  points: ScoreHistoryPoint[];
  bands?: { medium: number; high: number };
}) {
  const data = points.map((p) => ({ ...p, label: `v${p.version}`, percent: p.riskScore * 100 }));
  return (
    <figure aria-label="Risk score by model version" className="w-full">
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" stroke={GRID_STROKE} />
          <XAxis dataKey="label" tick={AXIS_TICK} tickLine={false} />
          <YAxis
            domain={[0, 100]}
            ticks={[0, 25, 50, 75, 100]}
            tick={AXIS_TICK}
            tickLine={false}
            width={48}
            tickFormatter={(v: number) => `${v} %`}
          />
          {bands && (
            <>
              <ReferenceLine y={bands.medium * 100} stroke={REFERENCE_STROKE} strokeDasharray="4 4" />
              <ReferenceLine y={bands.high * 100} stroke="var(--destructive)" strokeDasharray="4 4" />
            </>
          )}
          <Tooltip
            formatter={(value) => [`${Number(value).toFixed(1)} %`, "Risk score"]}
            labelFormatter={(label, payload) => {
              const point = payload?.[0]?.payload as (typeof data)[number] | undefined;
              return point ? `Model ${label} · ${algorithmName(point.algorithm)}` : String(label);
            }}
            contentStyle={{
              background: "var(--popover)",
              color: "var(--popover-foreground)",
              border: "1px solid var(--border)",
              borderRadius: 6,
              fontSize: 12,
            }}
          />
          <Line
            type="monotone"
            dataKey="percent"
            name="Risk score"
            stroke={SERIES_COLORS[0]}
            strokeWidth={2}
            dot={{ r: 4 }}
            activeDot={{ r: 5 }}
            animationDuration={ANIMATION_MS}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
