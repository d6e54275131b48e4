"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { formatCount, formatRate } from "./format";

export interface ChartBucket {
  label: string;
  count: number;
  labelled: number;
  churnRate: number | null;
}

const AXIS_TICK = { fontSize: 11, fill: "var(--muted-foreground)" };
const ANIMATION_MS = 300;

function shortLabel(label: string): string {
  return label.length > 16 ? `${label.slice(0, 15)}…` : label;
}

interface Row {
  label: string;
  count: number;
  labelled: number;
  churn: number | null;
}

function BucketTooltip({ active, payload }: Partial<TooltipContentProps<number, string>>) {
  const row = active && payload?.[0] ? (payload[0].payload as Row) : null;
  if (!row) return null;
  return (
    <div className="rounded-md border bg-popover px-3 py-2 text-popover-foreground text-xs shadow-md">
      <p className="mb-1 max-w-64 break-words font-medium">{row.label}</p>
      <p>{formatCount(row.count)} customers</p>
      {row.churn !== null && (
        <p>
          Churn rate {row.churn.toFixed(1)} %{" "}
          <span className="text-muted-foreground">of {formatCount(row.labelled)}</span>
        </p>
      )}
    </div>
  );
}

function useRows(buckets: ChartBucket[]): Row[] {
  return buckets.map((b) => ({
    label: b.label,
    count: b.count,
    labelled: b.labelled,
    churn: b.churnRate === null ? null : b.churnRate * 100,
  }));
}

function xAxisProps(rows: Row[]) {
  const isCrowded = rows.length > 5;
  return {
    dataKey: "label",
    tick: AXIS_TICK,
    tickFormatter: shortLabel,
    interval: 0,
    angle: isCrowded ? -35 : 0,
    textAnchor: isCrowded ? ("end" as const) : ("middle" as const),
    height: isCrowded ? 64 : 28,
    tickLine: false,
  };
}

/**
 * One column's distribution (customers per bin or category) and churn rate per bin or category,
 * as two tabs; the dashed line marks the data set's overall churn rate.
 */
export function ColumnCharts({
  column,
  buckets,
  overallChurnRate,
}: {
  column: string;
  buckets: ChartBucket[];
  overallChurnRate: number | null;
}) {
  const rows = useRows(buckets);
  const hasChurn = overallChurnRate !== null && rows.some((r) => r.churn !== null);
  const distribution = (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
        <XAxis {...xAxisProps(rows)} />
        <YAxis tick={AXIS_TICK} width={48} tickLine={false} axisLine={false} allowDecimals={false} />
        <Tooltip content={<BucketTooltip />} cursor={{ fill: "var(--muted)", opacity: 0.5 }} />
        <Bar
          dataKey="count"
          name="Customers"
          fill="var(--chart-1)"
          radius={[3, 3, 0, 0]}
          animationDuration={ANIMATION_MS}
        />
      </BarChart>
    </ResponsiveContainer>
  );
  if (!hasChurn) return <figure aria-label={`Distribution of ${column}`}>{distribution}</figure>;
  return (
    <Tabs defaultValue="distribution">
      <TabsList className="mb-2">
        <TabsTrigger value="distribution">Distribution</TabsTrigger>
        <TabsTrigger value="churn">Churn rate</TabsTrigger>
      </TabsList>
      <TabsContent value="distribution" aria-label={`Distribution of ${column}`}>
        {distribution}
      </TabsContent>
      <TabsContent value="churn" aria-label={`Churn rate by ${column}`}>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
            <XAxis {...xAxisProps(rows)} />
            <YAxis
              tick={AXIS_TICK}
              width={48}
              tickLine={false}
              axisLine={false}
              unit=" %"
              domain={[0, (max: number) => Math.min(100, Math.ceil((max + 5) / 10) * 10)]}
            />
            <Tooltip content={<BucketTooltip />} cursor={{ fill: "var(--muted)", opacity: 0.5 }} />
            <ReferenceLine
              y={(overallChurnRate as number) * 100}
              stroke="var(--muted-foreground)"
              strokeDasharray="4 4"
              label={{
                value: `overall ${formatRate(overallChurnRate)}`,
                position: "insideTopRight",
                fontSize: 11,
                fill: "var(--muted-foreground)",
              }}
            />
            <Bar
              dataKey="churn"
              name="Churn rate"
              fill="var(--chart-3)"
              radius={[3, 3, 0, 0]}
              animationDuration={ANIMATION_MS}
            />
          </BarChart>
        </ResponsiveContainer>
      </TabsContent>
    </Tabs>
  );
}
