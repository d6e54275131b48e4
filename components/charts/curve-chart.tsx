"use client";

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import { ANIMATION_MS, AXIS_TICK, GRID_STROKE, REFERENCE_STROKE, SERIES_COLORS } from "./chart-theme";

export interface CurvePoint {
  x: number;
  y: number;
  /** Shown in the tooltip (e.g. the decision threshold of a ROC point). */
  note?: string;
}

export interface CurveSeries {
  name: string;
  points: CurvePoint[];
  color?: string;
}

export interface CurveChartProps {
  /** Accessible name of the figure. */
  title: string;
  series: CurveSeries[];
  xLabel: string;
  yLabel: string;
  /** Draws y = x (ROC's random classifier, calibration's perfect calibration, gain's random targeting). */
  diagonal?: boolean;
  /** A horizontal reference line (PR curve: the churn rate, the precision of random guessing). */
  baseline?: { y: number; label: string };
  /** Show points as dots (few points, e.g. calibration bins). */
  showDots?: boolean;
  height?: number;
  formatX?: (x: number) => string;
  formatY?: (y: number) => string;
}

const percent = (v: number) => `${Math.round(v * 100)} %`;

function CurveTooltip({
  active,
  payload,
  xLabel,
  yLabel,
  formatX,
  formatY,
}: Partial<TooltipContentProps<number, string>> & {
  xLabel: string;
  yLabel: string;
  formatX: (x: number) => string;
  formatY: (y: number) => string;
}) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md border bg-popover px-3 py-2 text-popover-foreground text-xs shadow-md">
      {payload.map((item) => {
        const point = item.payload as CurvePoint;
        return (
          <div key={String(item.name)} className="mb-1 last:mb-0">
            <p className="font-medium" style={{ color: item.color }}>
              {item.name}
            </p>
            <p>
              {xLabel}: {formatX(point.x)} · {yLabel}: {formatY(point.y)}
            </p>
            {point.note && <p className="text-muted-foreground">{point.note}</p>}
          </div>
        );
      })}
    </div>
  );
}

/** Line chart of one or more curves on [0, 1] × [0, 1] (ROC, precision-recall, calibration, gain). */
export function CurveChart({
  title,
  series,
  xLabel,
  yLabel,
  diagonal,
  baseline,
  showDots,
  height = 260,
  formatX = percent,
  formatY = percent,
}: CurveChartProps) {
  return (
    <figure aria-label={title} className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        <LineChart margin={{ top: 12, right: 16, bottom: 20, left: 0 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" stroke={GRID_STROKE} />
          <XAxis
            type="number"
            dataKey="x"
            domain={[0, 1]}
            ticks={[0, 0.25, 0.5, 0.75, 1]}
            tickFormatter={formatX}
            tick={AXIS_TICK}
            tickLine={false}
            label={{
              value: xLabel,
              position: "insideBottom",
              offset: -12,
              fontSize: 11,
              fill: "var(--muted-foreground)",
            }}
          />
          <YAxis
            type="number"
            domain={[0, 1]}
            ticks={[0, 0.25, 0.5, 0.75, 1]}
            tickFormatter={formatY}
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={false}
            // Room for "100 %" ticks plus the rotated axis label beside them.
            width={62}
            label={{
              value: yLabel,
              angle: -90,
              position: "insideLeft",
              offset: 4,
              fontSize: 11,
              fill: "var(--muted-foreground)",
              style: { textAnchor: "middle" },
            }}
          />
          {diagonal && (
            <ReferenceLine
              segment={[
                { x: 0, y: 0 },
                { x: 1, y: 1 },
              ]}
              stroke={REFERENCE_STROKE}
              strokeDasharray="4 4"
              ifOverflow="extendDomain"
            />
          )}
          {baseline && (
            <ReferenceLine
              y={baseline.y}
              stroke={REFERENCE_STROKE}
              strokeDasharray="4 4"
              label={{
                value: baseline.label,
                position: "insideTopRight",
                fontSize: 11,
                fill: "var(--muted-foreground)",
              }}
            />
          )}
          <Tooltip
            content={<CurveTooltip xLabel={xLabel} yLabel={yLabel} formatX={formatX} formatY={formatY} />}
          />
          {series.length > 1 && (
            <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12, paddingBottom: 4 }} />
          )}
          {series.map((s, i) => (
            <Line
              key={s.name}
              data={s.points}
              dataKey="y"
              name={s.name}
              type="linear"
              stroke={s.color ?? SERIES_COLORS[i % SERIES_COLORS.length]}
              strokeWidth={2}
              dot={showDots ? { r: 3 } : false}
              activeDot={{ r: 4 }}
              isAnimationActive
              animationDuration={ANIMATION_MS}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
