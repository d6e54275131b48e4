"use client";

import {
  Area,
  CartesianGrid,
  ComposedChart,
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
import { formatMoney } from "@/lib/format/money";
import type { ContactOutcome } from "@/lib/ml/metrics/threshold";

/**
 * Expected net profit of contacting the top N customers, for every N, with the calibration range
 * as a band; dashed lines mark the most profitable N and, when different, the N chosen.
 */
export function ProfitCurveChart({
  curve,
  best,
  chosen,
  currency,
  height = 280,
}: {
  curve: ContactOutcome[];
  best: number;
  chosen: number;
  currency: string;
  height?: number;
}) {
  const data = curve.map((p) => ({
    n: p.contacted,
    profit: p.profit,
    band: [p.profitLower ?? p.profit, p.profitUpper ?? p.profit] as [number, number],
  }));
  const money = (v: number) => formatMoney(v, currency, { compact: Math.abs(v) >= 10_000 });
  return (
    <figure aria-label="Expected net profit by number of customers contacted" className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 20, left: 8 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" stroke={GRID_STROKE} />
          <XAxis
            type="number"
            dataKey="n"
            domain={[0, "dataMax"]}
            tick={AXIS_TICK}
            tickLine={false}
            label={{
              value: "Customers contacted (riskiest first)",
              position: "insideBottom",
              offset: -12,
              fontSize: 11,
              fill: "var(--muted-foreground)",
            }}
          />
          <YAxis tickFormatter={money} tick={AXIS_TICK} tickLine={false} axisLine={false} width={72} />
          <ReferenceLine y={0} stroke={REFERENCE_STROKE} />
          <ReferenceLine
            x={best}
            stroke={SERIES_COLORS[0]}
            strokeDasharray="4 4"
            label={{
              value: "best",
              position: "insideTopRight",
              fontSize: 11,
              fill: "var(--muted-foreground)",
            }}
          />
          {chosen !== best && <ReferenceLine x={chosen} stroke={SERIES_COLORS[1]} strokeDasharray="4 4" />}
          <Tooltip
            contentStyle={{
              background: "var(--popover)",
              color: "var(--popover-foreground)",
              border: "1px solid var(--border)",
              borderRadius: 6,
              fontSize: 12,
            }}
            labelFormatter={(n) => `Contact ${Number(n).toLocaleString("en-US")} customers`}
            formatter={(value, name) =>
              Array.isArray(value)
                ? [`${money(Number(value[0]))} to ${money(Number(value[1]))}`, "Range (calibration)"]
                : [money(Number(value)), String(name)]
            }
          />
          <Area
            dataKey="band"
            stroke="none"
            fill="var(--chart-1)"
            fillOpacity={0.15}
            isAnimationActive={false}
          />
          <Line
            dataKey="profit"
            name="Expected net profit"
            stroke={SERIES_COLORS[0]}
            strokeWidth={2}
            dot={false}
            animationDuration={ANIMATION_MS}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
