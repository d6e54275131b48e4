"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { BarChart3, Download, LineChart, Timer } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { duration, formatMoney, percent } from "@/components/analytics/format";
import { RiskTrendChart } from "@/components/analytics/risk-trend-chart";
import { HEATMAP_METRICS, type HeatmapMetric, SegmentHeatmap } from "@/components/analytics/segment-heatmap";
import { SegmentTable } from "@/components/analytics/segment-table";
import { SurvivalChart } from "@/components/analytics/survival-chart";
import { EmptyState } from "@/components/layout/empty-state";
import { algorithmName } from "@/components/models/format";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { AnalyticsOverview } from "@/server/services/analytics";
import { type AnalyticsState, analyticsStateToSearch, type Tab } from "./analytics-state";

const NONE = "__none__";

function ChartSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-label={label} className="space-y-3">
      <Skeleton className="h-6 w-48" />
      <Skeleton className="h-64 w-full" />
    </div>
  );
}

function ErrorNote({ message }: { message: string }) {
  return (
    <p role="alert" className="text-destructive text-sm">
      {message}
    </p>
  );
}

function Kpi({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card className="gap-1 py-4">
      <CardHeader className="px-4">
        <CardDescription>{label}</CardDescription>
      </CardHeader>
      <CardContent className="px-4">
        <p className="font-semibold text-2xl tabular-nums">{value}</p>
        {hint && <p className="text-muted-foreground text-xs">{hint}</p>}
      </CardContent>
    </Card>
  );
}

export function AnalyticsWorkspace({
  overview,
  initial,
}: {
  overview: AnalyticsOverview;
  initial: AnalyticsState;
}) {
  const datasetId = overview.dataset.id;
  const known = new Set(overview.segmentColumns.map((c) => c.name));
  const [state, setState] = useState<AnalyticsState>(() => {
    const columns = initial.columns.filter((c) => known.has(c));
    return {
      ...initial,
      columns: columns.length ? columns : overview.suggestedColumns.slice(0, 1),
      duration:
        initial.duration && overview.duration.choices.includes(initial.duration) ? initial.duration : null,
      by: initial.by && known.has(initial.by) ? initial.by : null,
    };
  });
  // The URL follows the choices (History API: no server render), so the view can be shared.
  useEffect(() => {
    window.history.replaceState(null, "", `/analytics${analyticsStateToSearch(datasetId, state)}`);
  }, [datasetId, state]);
  const update = (next: Partial<AnalyticsState>) => setState((s) => ({ ...s, ...next }));

  return (
    <Tabs value={state.tab} onValueChange={(tab) => update({ tab: tab as Tab })} className="gap-4">
      <TabsList className="flex-wrap">
        <TabsTrigger value="segments">Segments</TabsTrigger>
        <TabsTrigger value="retention">Retention curves</TabsTrigger>
        <TabsTrigger value="trend">Risk over time</TabsTrigger>
        <TabsTrigger value="model">Model quality</TabsTrigger>
      </TabsList>
      <TabsContent value="segments">
        <SegmentsPanel overview={overview} state={state} update={update} />
      </TabsContent>
      <TabsContent value="retention">
        <RetentionPanel overview={overview} state={state} update={update} />
      </TabsContent>
      <TabsContent value="trend">
        <TrendPanel overview={overview} />
      </TabsContent>
      <TabsContent value="model">
        <ModelPanel overview={overview} />
      </TabsContent>
    </Tabs>
  );
}

type PanelProps = {
  overview: AnalyticsOverview;
  state: AnalyticsState;
  update: (next: Partial<AnalyticsState>) => void;
};

function ColumnSelect({
  id,
  label,
  value,
  onChange,
  options,
  allowNone,
}: {
  id: string;
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
  options: { name: string; hint?: string }[];
  allowNone?: string;
}) {
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Select value={value ?? NONE} onValueChange={(v) => onChange(v === NONE ? null : v)}>
        <SelectTrigger id={id} className="w-56">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {allowNone && <SelectItem value={NONE}>{allowNone}</SelectItem>}
          {options.map((o) => (
            <SelectItem key={o.name} value={o.name}>
              {o.name}
              {o.hint ? <span className="text-muted-foreground"> {o.hint}</span> : null}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}

function SegmentsPanel({ overview, state, update }: PanelProps) {
  const trpc = useTRPC();
  const ids = { first: useId(), second: useId(), bins: useId(), metric: useId() };
  const datasetId = overview.dataset.id;
  const options = overview.segmentColumns.map((c) => ({
    name: c.name,
    hint: c.type === "numeric" ? "(in ranges)" : undefined,
  }));
  const [first, second] = state.columns;
  const hasNumeric = state.columns.some(
    (c) => overview.segmentColumns.find((s) => s.name === c)?.type === "numeric",
  );
  const query = useQuery({
    ...trpc.analytics.segments.queryOptions({ datasetId, columns: state.columns, bins: state.bins }),
    enabled: overview.champion !== null && state.columns.length > 0,
    placeholderData: keepPreviousData,
  });
  if (!overview.champion) {
    return (
      <EmptyState icon={BarChart3} title="No scored customers yet">
        Segments compare churn, risk and revenue at risk between groups of customers once a model has scored
        them. Train models on this dataset first.
      </EmptyState>
    );
  }
  const exportParams = new URLSearchParams({
    dataset: String(datasetId),
    table: "segments",
    bins: String(state.bins),
  });
  for (const c of state.columns) exportParams.append("col", c);
  const data = query.data;
  const view = state.columns.length === 2 ? state.view : "table";
  return (
    <Card>
      <CardHeader>
        <CardTitle>Which segments are leaking?</CardTitle>
        <CardDescription>
          Active customers (still with you) against those already lost, per group. Risk and revenue at risk
          count active customers only; “why” compares each group’s average driver strength with all customers.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <div className="flex flex-wrap items-end gap-4">
          <ColumnSelect
            id={ids.first}
            label="Group customers by"
            value={first ?? null}
            onChange={(v) => update({ columns: v ? [v, ...(second && second !== v ? [second] : [])] : [] })}
            options={options}
          />
          <ColumnSelect
            id={ids.second}
            label="and by (optional)"
            value={second ?? null}
            onChange={(v) => update({ columns: v && v !== first ? [first, v] : [first] })}
            options={options.filter((o) => o.name !== first)}
            allowNone="Nothing else"
          />
          {hasNumeric && (
            <div className="space-y-1.5">
              <Label htmlFor={ids.bins}>Ranges</Label>
              <Select value={String(state.bins)} onValueChange={(v) => update({ bins: Number(v) })}>
                <SelectTrigger id={ids.bins} className="w-32">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {[2, 3, 4, 5, 10].map((b) => (
                    <SelectItem key={b} value={String(b)}>
                      {b} equal groups
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
          )}
          {state.columns.length === 2 && (
            <fieldset className="flex gap-1">
              <legend className="sr-only">View</legend>
              <Button
                size="sm"
                variant={view === "table" ? "default" : "outline"}
                aria-pressed={view === "table"}
                onClick={() => update({ view: "table" })}
              >
                Table
              </Button>
              <Button
                size="sm"
                variant={view === "heatmap" ? "default" : "outline"}
                aria-pressed={view === "heatmap"}
                onClick={() => update({ view: "heatmap" })}
              >
                Heat map
              </Button>
            </fieldset>
          )}
          {view === "heatmap" && (
            <div className="space-y-1.5">
              <Label htmlFor={ids.metric}>Shade by</Label>
              <Select value={state.metric} onValueChange={(v) => update({ metric: v as HeatmapMetric })}>
                <SelectTrigger id={ids.metric} className="w-64">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {(Object.keys(HEATMAP_METRICS) as HeatmapMetric[]).map((m) => (
                    <SelectItem key={m} value={m}>
                      {HEATMAP_METRICS[m].label}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
          )}
          {data && data.rows.length > 0 && (
            <Button asChild variant="outline" size="sm" className="ml-auto">
              <a href={`/analytics/export?${exportParams.toString()}`} download>
                <Download aria-hidden="true" /> Export CSV
              </a>
            </Button>
          )}
        </div>
        {state.columns.length === 0 ? (
          <p className="text-muted-foreground text-sm">Choose a column to group customers by.</p>
        ) : query.isError ? (
          <ErrorNote message={`Could not load the segments: ${query.error.message}`} />
        ) : !data ? (
          <ChartSkeleton label="Loading segments" />
        ) : data.rows.length === 0 ? (
          <p className="text-muted-foreground text-sm">No scored customers in this dataset version.</p>
        ) : (
          <div className={query.isFetching ? "opacity-60 transition-opacity" : undefined}>
            {data.totals && (
              <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
                <Kpi
                  label="Active customers"
                  value={data.totals.active.toLocaleString("en-US")}
                  hint="Still customers: the ones a campaign can keep"
                />
                <Kpi
                  label="Already lost"
                  value={data.totals.lost.toLocaleString("en-US")}
                  hint={`Observed churn ${percent(data.totals.observedChurnRate)} of customers with a known outcome`}
                />
                <Kpi
                  label="High-risk active customers"
                  value={data.totals.highRisk.toLocaleString("en-US")}
                  hint={`Mean risk ${percent(data.totals.meanRisk)}`}
                />
                <Kpi
                  label="Monthly revenue at risk"
                  value={formatMoney(data.totals.revenueAtRisk, overview.currency)}
                  hint={
                    data.totals.revenueAtRisk === null
                      ? "Needs a monthly charges column"
                      : "Monthly value × risk, active customers"
                  }
                />
              </div>
            )}
            {view === "heatmap" ? (
              <SegmentHeatmap explorer={data} metric={state.metric} />
            ) : (
              <SegmentTable rows={data.rows} datasetId={datasetId} currency={overview.currency} />
            )}
            {data.omitted > 0 && (
              <p className="mt-2 text-muted-foreground text-xs">
                {data.omitted} smaller segments are not shown.
              </p>
            )}
            {hasNumeric && (
              <p className="mt-2 text-muted-foreground text-xs">
                Number ranges hold about equal numbers of customers; “View customers” is offered for
                categories only.
              </p>
            )}
          </div>
        )}
      </CardContent>
    </Card>
  );
}

function RetentionPanel({ overview, state, update }: PanelProps) {
  const trpc = useTRPC();
  const ids = { duration: useId(), by: useId() };
  const datasetId = overview.dataset.id;
  const durationColumn = state.duration ?? overview.duration.detected;
  const query = useQuery({
    ...trpc.analytics.retention.queryOptions({
      datasetId,
      ...(durationColumn ? { durationColumn } : {}),
      ...(state.by ? { segmentColumn: state.by } : {}),
    }),
    enabled: durationColumn !== null,
    placeholderData: keepPreviousData,
  });
  if (overview.duration.choices.length === 0) {
    return (
      <EmptyState icon={Timer} title="No tenure column in this data">
        Retention curves need a column that says how long each person has been a customer (for example
        “tenure” in months). Add one to the file and upload it as a new version.
      </EmptyState>
    );
  }
  const data = query.data;
  const unit = data?.unit ?? overview.duration.unit ?? "periods";
  const exportParams = new URLSearchParams({ dataset: String(datasetId), table: "retention" });
  if (durationColumn) exportParams.set("duration", durationColumn);
  if (state.by) exportParams.set("by", state.by);
  return (
    <Card>
      <CardHeader>
        <CardTitle>How long do customers stay?</CardTitle>
        <CardDescription>
          Kaplan–Meier retention: the share of customers expected to still be with you after each length of
          time, from who left and who is still a customer. The shaded band is the 95 % confidence range.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <div className="flex flex-wrap items-end gap-4">
          <ColumnSelect
            id={ids.duration}
            label="Time as a customer"
            value={durationColumn}
            onChange={(v) => update({ duration: v })}
            options={overview.duration.choices.map((name) => ({
              name,
              hint: name === overview.duration.detected ? "(detected)" : undefined,
            }))}
          />
          <ColumnSelect
            id={ids.by}
            label="One curve per"
            value={state.by}
            onChange={(v) => update({ by: v })}
            options={overview.segmentColumns
              .filter((c) => c.name !== durationColumn)
              .map((c) => ({ name: c.name }))}
            allowNone="All customers together"
          />
          {data?.overall && (
            <Button asChild variant="outline" size="sm" className="ml-auto">
              <a href={`/analytics/export?${exportParams.toString()}`} download>
                <Download aria-hidden="true" /> Export CSV
              </a>
            </Button>
          )}
        </div>
        {durationColumn === null ? (
          <p className="text-muted-foreground text-sm">
            Choose the column that says how long each person has been a customer.
          </p>
        ) : query.isError ? (
          <ErrorNote message={`Could not load the retention curves: ${query.error.message}`} />
        ) : !data ? (
          <ChartSkeleton label="Loading retention curves" />
        ) : !data.overall ? (
          <p className="text-muted-foreground text-sm">No customer has a value in “{durationColumn}”.</p>
        ) : (
          <div className={query.isFetching ? "space-y-4 opacity-60 transition-opacity" : "space-y-4"}>
            <div className="grid gap-3 sm:grid-cols-3">
              <Kpi
                label="Median customer lifetime"
                value={
                  data.overall.medianLifetime === null
                    ? "Over half stay"
                    : duration(data.overall.medianLifetime, unit)
                }
                hint={
                  data.overall.medianLifetime === null
                    ? `More than half are still customers after ${duration(data.overall.points.at(-1)?.time ?? 0, unit)}`
                    : "Half of customers have left by then"
                }
              />
              <Kpi
                label="Expected remaining lifetime"
                value={duration(data.active?.meanRemaining ?? null, unit)}
                hint="Average over active customers, given how long each has stayed"
              />
              <Kpi
                label="Expected lifetime value"
                value={
                  unit === "months"
                    ? formatMoney(data.active?.lifetimeValue ?? null, overview.currency, { compact: true })
                    : "—"
                }
                hint={
                  unit === "months"
                    ? "Monthly value × expected remaining months, active customers"
                    : "Needs a duration in months and a monthly charges column"
                }
              />
            </div>
            <SurvivalChart overall={data.overall} segments={data.segments} unit={unit} />
            {data.segments.length > 0 && (
              <ul
                className="grid gap-2 text-sm sm:grid-cols-2 lg:grid-cols-3"
                aria-label="Median lifetime per group"
              >
                {data.segments.map((s) => (
                  <li key={s.label} className="rounded-md border px-3 py-2">
                    <span className="font-medium">{s.label}</span>
                    <span className="block text-muted-foreground text-xs">
                      {s.customers.toLocaleString("en-US")} customers, {s.lost.toLocaleString("en-US")} left ·
                      median {s.medianLifetime === null ? "not reached" : duration(s.medianLifetime, unit)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            <p className="text-muted-foreground text-xs">
              Past the longest observed time the curve is extended at the average monthly leaving rate, so
              long-standing customers still get an expected remaining lifetime.
            </p>
          </div>
        )}
      </CardContent>
    </Card>
  );
}

function TrendPanel({ overview }: { overview: AnalyticsOverview }) {
  const trpc = useTRPC();
  const datasetId = overview.dataset.id;
  const query = useQuery(trpc.analytics.riskTrend.queryOptions({ datasetId }));
  const data = query.data;
  const points = data
    ? [
        ...data.models.map((m) => ({
          label: `Model v${m.version}`,
          at: m.scoredAt,
          meanRisk: m.meanRisk,
          highRisk: m.highRisk,
        })),
        ...data.batches.map((b) => ({
          label: b.fileName,
          at: b.scoredAt,
          meanRisk: b.meanRisk,
          highRisk: b.highRisk,
        })),
      ].sort((a, b) => a.at.getTime() - b.at.getTime())
    : [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Risk over time</CardTitle>
        <CardDescription>
          Mean churn risk and high-risk active customers each time customers were scored: by every model
          version trained on this dataset, and every scored file.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {query.isError ? (
          <ErrorNote message={`Could not load the risk history: ${query.error.message}`} />
        ) : !data ? (
          <ChartSkeleton label="Loading risk over time" />
        ) : points.length === 0 ? (
          <EmptyState icon={LineChart} title="No scoring yet">
            Each training run and each scored file adds a point here. Train models or score a file to start
            the history.
          </EmptyState>
        ) : (
          <>
            <RiskTrendChart points={points} />
            {data.models.length > 0 && (
              <ul className="space-y-1 text-sm" aria-label="Model versions">
                {data.models.map((m) => (
                  <li key={m.modelId}>
                    <Link
                      href={`/models/${m.modelId}`}
                      className="text-primary underline-offset-4 hover:underline"
                    >
                      Model v{m.version}
                    </Link>{" "}
                    <span className="text-muted-foreground">
                      {algorithmName(m.algorithm)} · {m.status} · mean risk {percent(m.meanRisk)} ·{" "}
                      {m.highRisk.toLocaleString("en-US")} high-risk of {m.customers.toLocaleString("en-US")}{" "}
                      active
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}

function ModelPanel({ overview }: { overview: AnalyticsOverview }) {
  const champion = overview.champion;
  if (!champion) {
    return (
      <EmptyState icon={BarChart3} title="No champion model yet">
        Train models on this dataset: the best one becomes the champion and its quality is summarised here.
      </EmptyState>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>How good is the model?</CardTitle>
        <CardDescription>
          Model v{champion.version} ({algorithmName(champion.algorithm)}), measured on customers it never saw
          while learning.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-3 text-sm">
        <p className="font-medium text-base">Model quality: {champion.quality.sentence}.</p>
        <p className="text-muted-foreground">
          {champion.calibrationError === null
            ? "Risk scores are the model's churn probabilities."
            : `Risk scores are the model's churn probabilities; on held-out customers they were off from the observed churn by ${percent(champion.calibrationError)} on average (calibration), which is why campaign figures come with a range.`}
        </p>
        <Button asChild variant="outline" size="sm">
          <Link href={`/models/${champion.id}#curves-heading`}>
            See lift and gain charts on the model page
          </Link>
        </Button>
      </CardContent>
    </Card>
  );
}
