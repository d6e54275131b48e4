"use client";

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ANIMATION_MS, AXIS_TICK, GRID_STROKE } from "@/components/charts/chart-theme";
import { formatRisk, formatSignedPoints, formatValue } from "@/lib/retention";

export interface WaterfallContribution {
  column: string;
  value: string | number | boolean | null;
  probability: number;
}

interface Step {
  label: string;
  /** Invisible part of the stacked bar (where the step starts, or 0 for totals). */
  offset: number;
  size: number;
  delta: number;
  kind: "total" | "up" | "down";
  detail: string;
}

const COLORS = { total: "var(--chart-1)", up: "var(--destructive)", down: "var(--success)" };
const shorten = (s: string) => (s.length > 28 ? `${s.slice(0, 27)}…` : s);

/** Steps from the base rate through the largest contributions ("Other" for the rest) to the risk. */
export function waterfallSteps(
  base: number,
  contributions: readonly WaterfallContribution[],
  riskScore: number,
  top = 6,
): Step[] {
  const sorted = [...contributions].sort((a, b) => Math.abs(b.probability) - Math.abs(a.probability));
  const shown = sorted.slice(0, top);
  const rest = sorted.slice(top);
  const steps: Step[] = [
    {
      label: "Base rate",
      offset: 0,
      size: base,
      delta: base,
      kind: "total",
      detail: formatRisk(base),
    },
  ];
  let level = base;
  const push = (label: string, delta: number) => {
    const next = level + delta;
    steps.push({
      label,
      offset: Math.min(level, next),
      size: Math.abs(delta),
      delta,
      kind: delta >= 0 ? "up" : "down",
      detail: `${formatSignedPoints(delta)} points`,
    });
    level = next;
  };
  for (const c of shown) push(`${c.column} = ${formatValue(c.value)}`, c.probability);
  if (rest.length)
    push(
      `Other (${rest.length} columns)`,
      rest.reduce((s, c) => s + c.probability, 0),
    );
  steps.push({
    label: "This customer",
    offset: 0,
    size: riskScore,
    delta: riskScore,
    kind: "total",
    detail: formatRisk(riskScore),
  });
  return steps;
}

/**
 * A waterfall from the model's base rate through this customer's largest drivers to their risk.
 * Bars are stacked: an invisible offset, then the step, so each bar starts where the last ended.
 */
export function WaterfallChart({
  base,
  contributions,
  riskScore,
  top = 6,
}: {
  base: number;
  contributions: readonly WaterfallContribution[];
  riskScore: number;
  top?: number;
}) {
  const steps = waterfallSteps(base, contributions, riskScore, top);
  // Round ticks: every 5, 10 or 20 points depending on the range shown.
  const highest = Math.max(...steps.map((s) => s.offset + s.size));
  const step = highest <= 0.3 ? 0.05 : highest <= 0.6 ? 0.1 : 0.2;
  const max = Math.min(1, Math.ceil((highest + 0.001) / step) * step);
  const ticks = Array.from({ length: Math.round(max / step) + 1 }, (_, i) => Math.min(1, i * step));
  return (
    <figure className="w-full" data-testid="waterfall">
      <figcaption className="mb-2 font-medium text-sm">From the base rate to this customer</figcaption>
      <ResponsiveContainer width="100%" height={steps.length * 30 + 40}>
        <BarChart
          data={steps}
          layout="vertical"
          margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
          barCategoryGap={6}
        >
          <CartesianGrid strokeDasharray="3 3" stroke={GRID_STROKE} horizontal={false} />
          <XAxis
            type="number"
            domain={[0, max]}
            ticks={ticks}
            tick={AXIS_TICK}
            tickLine={false}
            tickFormatter={(v: number) => `${Math.round(v * 100)} %`}
          />
          <YAxis
            type="category"
            dataKey="label"
            width={190}
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={false}
            tickFormatter={shorten}
            interval={0}
          />
          <Tooltip
            cursor={{ fill: "var(--muted)", opacity: 0.5 }}
            content={({ active, payload }) => {
              const step = active ? (payload?.[0]?.payload as Step | undefined) : undefined;
              if (!step) return null;
              return (
                <div className="rounded-md border bg-popover px-2 py-1 text-popover-foreground text-xs shadow-sm">
                  <p className="font-medium">{step.label}</p>
                  <p className="tabular-nums">{step.detail}</p>
                </div>
              );
            }}
          />
          <Bar dataKey="offset" stackId="w" fill="transparent" isAnimationActive={false} />
          <Bar dataKey="size" stackId="w" radius={2} animationDuration={ANIMATION_MS}>
            {steps.map((s) => (
              <Cell key={s.label} fill={COLORS[s.kind]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <ol className="sr-only">
        {steps.map((s) => (
          <li key={s.label}>
            {s.label}: {s.detail}
          </li>
        ))}
      </ol>
    </figure>
  );
}
