"use client";

import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { Download, X } from "lucide-react";
import { useId, useMemo, useState } from "react";
import { DateTime, useReaderTimeZone } from "@/components/format/date-time";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { auditActionLabel } from "@/lib/audit/sentences";
import { localDayRange, parseDay } from "@/lib/format/day-range";

const ALL = "__all__";

const TARGET_LABELS: Record<string, string> = {
  user: "Users",
  dataset: "Datasets",
  model: "Models",
  training_run: "Training runs",
  score_batch: "Scoring batches",
  api_key: "API keys",
  setting: "Settings",
  report: "Reports",
  campaign: "Campaigns",
  job: "Jobs",
  audit_log: "Audit log",
};
const targetLabel = (t: string) => TARGET_LABELS[t] ?? t.replaceAll("_", " ");

function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(" · ");
}

function FilterSelect({
  label,
  value,
  onChange,
  allLabel,
  options,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  allLabel: string;
  options: { value: string; label: string }[];
}) {
  return (
    <div className="flex min-w-0 flex-col gap-1.5">
      <span className="font-medium text-muted-foreground text-xs">{label}</span>
      <Select value={value} onValueChange={onChange}>
        <SelectTrigger className="w-full sm:w-48" aria-label={`Filter by ${label.toLowerCase()}`}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={ALL}>{allLabel}</SelectItem>
          {options.map((o) => (
            <SelectItem key={o.value} value={o.value}>
              {o.label}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}

export function AuditLogTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const timeZone = useReaderTimeZone();
  const fromId = useId();
  const toId = useId();
  const [action, setAction] = useState<string>(ALL);
  const [actor, setActor] = useState<string>(ALL);
  const [targetType, setTargetType] = useState<string>(ALL);
  const [fromDay, setFromDay] = useState("");
  const [toDay, setToDay] = useState("");
  const facets = useQuery(trpc.audit.facets.queryOptions());

  const rangeProblem =
    fromDay && toDay && parseDay(fromDay) && parseDay(toDay) && fromDay > toDay
      ? "The first day must not be after the last day."
      : null;
  // Local calendar days → UTC instants in the reader's zone (the server never guesses a zone).
  const filter = useMemo(() => {
    const range = rangeProblem
      ? {}
      : localDayRange(
          { fromDay: parseDay(fromDay) ? fromDay : null, toDay: parseDay(toDay) ? toDay : null },
          timeZone,
        );
    return {
      action: action === ALL ? undefined : action,
      actor: actor === ALL ? undefined : actor,
      targetType: targetType === ALL ? undefined : targetType,
      from: range.from,
      to: range.to,
    };
  }, [action, actor, targetType, fromDay, toDay, timeZone, rangeProblem]);

  const entries = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { limit: 50, ...filter },
      { getNextPageParam: (page) => page.nextBeforeId ?? undefined },
    ),
  );
  const rows = entries.data?.pages.flatMap((p) => p.entries) ?? [];
  const isFiltered = Boolean(filter.action || filter.actor || filter.targetType || fromDay || toDay);

  const exportHref = useMemo(() => {
    const params = new URLSearchParams();
    if (filter.action) params.set("action", filter.action);
    if (filter.actor) params.set("actor", filter.actor);
    if (filter.targetType) params.set("targetType", filter.targetType);
    if (filter.from) params.set("from", filter.from.toISOString());
    if (filter.to) params.set("to", filter.to.toISOString());
    const query = params.toString();
    return `/admin/audit/export${query ? `?${query}` : ""}`;
  }, [filter]);

  const clear = () => {
    setAction(ALL);
    setActor(ALL);
    setTargetType(ALL);
    setFromDay("");
    setToDay("");
  };

  return (
    <Card>
      <CardHeader className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="space-y-1.5">
          <CardTitle>Audit log</CardTitle>
          <CardDescription>
            Sign-ins, sign-ups and every change made by people, API keys and the system. Days are in your time
            zone ({timeZone}).
          </CardDescription>
        </div>
        <Button asChild variant="outline" size="sm" aria-disabled={Boolean(rangeProblem)}>
          <a
            href={exportHref}
            download
            // The export is itself audited: show that entry once the download has started.
            onClick={() =>
              setTimeout(() => queryClient.invalidateQueries({ queryKey: trpc.audit.pathKey() }), 1500)
            }
          >
            <Download aria-hidden className="size-4" />
            Export CSV
          </a>
        </Button>
      </CardHeader>
      <CardContent className="space-y-4">
        <fieldset className="flex flex-wrap items-end gap-3" aria-label="Filters">
          <FilterSelect
            label="Who"
            value={actor}
            onChange={setActor}
            allLabel="Everyone"
            options={(facets.data?.actors ?? []).map((a) => ({ value: a, label: a }))}
          />
          <FilterSelect
            label="Action"
            value={action}
            onChange={setAction}
            allLabel="All actions"
            options={(facets.data?.actions ?? []).map((a) => ({ value: a, label: auditActionLabel(a) }))}
          />
          <FilterSelect
            label="Target"
            value={targetType}
            onChange={setTargetType}
            allLabel="All targets"
            options={(facets.data?.targetTypes ?? []).map((t) => ({ value: t, label: targetLabel(t) }))}
          />
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={fromId} className="font-medium text-muted-foreground text-xs">
              From
            </Label>
            <Input
              id={fromId}
              type="date"
              className="w-40"
              value={fromDay}
              max={toDay || undefined}
              onChange={(e) => setFromDay(e.target.value)}
            />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={toId} className="font-medium text-muted-foreground text-xs">
              To
            </Label>
            <Input
              id={toId}
              type="date"
              className="w-40"
              value={toDay}
              min={fromDay || undefined}
              onChange={(e) => setToDay(e.target.value)}
            />
          </div>
          {isFiltered && (
            <Button variant="ghost" size="sm" onClick={clear}>
              <X aria-hidden className="size-4" />
              Clear filters
            </Button>
          )}
        </fieldset>
        {rangeProblem && (
          <p role="alert" className="text-destructive text-sm">
            {rangeProblem}
          </p>
        )}
        {entries.isError ? (
          <p role="alert" className="text-destructive text-sm">
            Could not load the audit log: {entries.error.message}
          </p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead className="w-44">When</TableHead>
                <TableHead className="w-[45%]">What happened</TableHead>
                <TableHead className="hidden lg:table-cell">Details</TableHead>
                <TableHead className="hidden md:table-cell">IP</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {entries.isPending ? (
                Array.from({ length: 5 }, (_, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton rows
                  <TableRow key={i}>
                    <TableCell colSpan={4}>
                      <Skeleton className="h-5 w-full" />
                    </TableCell>
                  </TableRow>
                ))
              ) : rows.length === 0 ? (
                <TableRow>
                  <TableCell colSpan={4} className="py-10 text-center text-muted-foreground">
                    {isFiltered ? "No entries match these filters." : "Nothing has been recorded yet."}
                  </TableCell>
                </TableRow>
              ) : (
                rows.map((entry) => (
                  <TableRow key={entry.id} data-testid="audit-entry">
                    <TableCell className="whitespace-nowrap align-top text-muted-foreground">
                      <DateTime value={entry.at} style="timestamp" />
                    </TableCell>
                    <TableCell className="max-w-xl whitespace-normal">
                      <span className="font-medium">{entry.actorLabel}</span> {entry.description}
                      <code className="ml-2 rounded bg-muted px-1.5 py-0.5 text-muted-foreground text-xs">
                        {entry.action}
                      </code>
                    </TableCell>
                    <TableCell
                      className="hidden max-w-xs truncate align-top text-muted-foreground lg:table-cell"
                      title={describeDetails(entry.details)}
                    >
                      {describeDetails(entry.details)}
                    </TableCell>
                    <TableCell className="hidden align-top text-muted-foreground md:table-cell">
                      {entry.ip ?? "—"}
                    </TableCell>
                  </TableRow>
                ))
              )}
            </TableBody>
          </Table>
        )}
        {entries.hasNextPage && (
          <div className="flex justify-center">
            <Button
              variant="outline"
              onClick={() => entries.fetchNextPage()}
              disabled={entries.isFetchingNextPage}
            >
              {entries.isFetchingNextPage ? "Loading…" : "Load older entries"}
            </Button>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
