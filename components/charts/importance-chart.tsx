"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ANIMATION_MS, AXIS_TICK, GRID_STROKE } from "./chart-theme";

export interface ColumnImportanceRow {
  column: string;
  value: number;
}

const shortName = (name: string) => (name.length > 22 ? `${name.slice(0, 21)}…` : name);

/**
 * Global importance: mean |SHAP value| per original column (one-hot parts and engineered
 * features folded into the columns they come from), largest first.
 */
export function ImportanceChart({ rows, limit = 15 }: { rows: ColumnImportanceRow[]; limit?: number }) {
  const shown = rows.slice(0, limit);
  const height = Math.max(120, shown.length * 26 + 32);
  return (
    <figure aria-label="Global importance: mean absolute SHAP value per column" className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        <BarChart
          data={shown}
          layout="vertical"
          margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
          accessibilityLayer
        >
          <CartesianGrid strokeDasharray="3 3" stroke={GRID_STROKE} horizontal={false} />
          <XAxis
            type="number"
            tick={AXIS_TICK}
            tickLine={false}
            tickFormatter={(v: number) => v.toFixed(2)}
          />
          <YAxis
            type="category"
            dataKey="column"
            width={150}
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={false}
            tickFormatter={shortName}
            interval={0}
          />
          <Tooltip
            formatter={(value) => [Number(value).toFixed(3), "mean |SHAP| (log-odds)"]}
            contentStyle={{
              background: "var(--popover)",
              color: "var(--popover-foreground)",
              border: "1px solid var(--border)",
              borderRadius: 6,
              fontSize: 12,
            }}
            cursor={{ fill: "var(--muted)", opacity: 0.5 }}
          />
          <Bar
            dataKey="value"
            name="mean |SHAP|"
            fill="var(--chart-1)"
            radius={[0, 3, 3, 0]}
            animationDuration={ANIMATION_MS}
          />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
