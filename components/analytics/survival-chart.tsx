"use client";

import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
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
import type { RetentionCurve } from "@/server/services/analytics";
import { percent } from "./format";

const TOOLTIP_STYLE = {
  background: "var(--popover)",
  color: "var(--popover-foreground)",
  border: "1px solid var(--border)",
  borderRadius: 6,
  fontSize: 12,
};

/**
 * Kaplan–Meier curves as steps (the estimate only changes when someone leaves), the overall curve
 * with its 95 % confidence band, and a dashed line at 50 % where the median lifetime is read.
 */
export function SurvivalChart({
  overall,
  segments,
  unit,
  height = 320,
}: {
  overall: RetentionCurve;
  segments: RetentionCurve[];
  unit: string;
  height?: number;
}) {
  const curves = segments.length > 0 ? segments : [overall];
  // One row per time of any curve; each curve's value carried forward (a step function).
  const times = [
    ...new Set([
      0,
      ...curves.flatMap((c) => c.points.map((p) => p.time)),
      ...overall.points.map((p) => p.time),
    ]),
  ].sort((a, b) => a - b);
  const valueAt = (curve: RetentionCurve, t: number, pick: "survival" | "lower" | "upper") => {
    let v = 1;
    for (const p of curve.points) {
      if (p.time > t) break;
      v = p[pick];
    }
    return v;
  };
  // Curves by position, never keyed by their label: a segment value is data from the file
  // ("__proto__", "a.b" would break an object key or recharts' dotted-path lookup).
  const data = times.map((t) => ({
    t,
    band: [valueAt(overall, t, "lower"), valueAt(overall, t, "upper")] as [number, number],
    curves: curves.map((c) => valueAt(c, t, "survival")),
  }));
  return (
    <figure aria-label={`Share of customers still active by ${unit} as a customer`} className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 20, left: 0 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" stroke={GRID_STROKE} />
          <XAxis
            type="number"
            dataKey="t"
            domain={[0, "dataMax"]}
            tick={AXIS_TICK}
            tickLine={false}
            label={{
              value: `Time as a customer (${unit})`,
              position: "insideBottom",
              offset: -12,
              fontSize: 11,
              fill: "var(--muted-foreground)",
            }}
          />
          <YAxis
            domain={[0, 1]}
            ticks={[0, 0.25, 0.5, 0.75, 1]}
            tickFormatter={(v: number) => percent(v, 0)}
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={false}
            width={48}
          />
          <ReferenceLine y={0.5} stroke={REFERENCE_STROKE} strokeDasharray="4 4" />
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            labelFormatter={(t) => `${t} ${unit}`}
            formatter={(value, name) =>
              Array.isArray(value)
                ? [`${percent(Number(value[0]))} – ${percent(Number(value[1]))}`, "95 % band (all customers)"]
                : [percent(Number(value)), String(name)]
            }
          />
          {curves.length > 1 && <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12 }} />}
          {/* The band belongs to the all-customers line: drawn only when that line is. */}
          {segments.length === 0 && (
            <Area
              dataKey="band"
              type="stepAfter"
              stroke="none"
              fill="var(--chart-1)"
              fillOpacity={0.15}
              legendType="none"
              isAnimationActive={false}
            />
          )}
          {curves.map((c, i) => (
            <Line
              key={c.label}
              name={c.label}
              dataKey={(row: (typeof data)[number]) => row.curves[i]}
              type="stepAfter"
              stroke={SERIES_COLORS[i % SERIES_COLORS.length]}
              strokeWidth={2}
              dot={false}
              animationDuration={ANIMATION_MS}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
