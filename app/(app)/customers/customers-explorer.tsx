"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Download, FilterX, Plus, Search, X } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { type CustomerSortKey, CustomersTable } from "@/components/customers/customers-table";
import { formatMoney, formatRisk } from "@/components/customers/format";
import { StatusSwitch } from "@/components/customers/status-switch";
import { AssignSelectionDialog } from "@/components/outcomes/assign-selection-dialog";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";
import type { CustomerList, FilterableColumn } from "@/server/services/customers";
import { LiveRefresh } from "../../_realtime/live-refresh";
import {
  defaultDirection,
  LEVELS,
  type Level,
  type ListState,
  listInputOf,
  listStateToSearch,
  PAGE_SIZES,
  type PageSize,
  parseListState,
} from "./list-state";

const LEVEL_LABELS: Record<Level, string> = { high: "High", medium: "Medium", low: "Low" };
const LEVEL_ACTIVE: Record<Level, string> = {
  high: "border-destructive bg-destructive/10 text-destructive",
  medium: "border-warning bg-warning/10 text-warning",
  low: "border-success bg-success/10 text-success",
};
const SEARCH_DEBOUNCE_MS = 300;

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
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

export function CustomersExplorer({
  datasets,
  datasetId,
  columns,
  initialList,
  initialSearch,
  canAssign = false,
}: {
  datasets: { id: number; name: string; championVersion: number; algorithm: string }[];
  datasetId: number;
  columns: FilterableColumn[];
  initialList: CustomerList;
  /** The URL the server rendered `initialList` for. */
  initialSearch: string;
  /** Managers may turn the customers shown into a campaign with actions (retention outcomes). */
  canAssign?: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const state = useMemo(() => parseListState(new URLSearchParams(searchParams.toString())), [searchParams]);
  const ids = { search: useId(), match: useId(), column: useId(), value: useId(), size: useId() };

  /**
   * Filters, sorting and pages change the URL through the History API, which Next.js syncs with
   * useSearchParams without a server render: the tRPC query below is the only fetch. Typing in the
   * search box replaces the entry; every other change adds one, so Back undoes it.
   */
  const navigate = (next: Partial<ListState>, options: { replace?: boolean } = {}) => {
    const merged: ListState = { ...state, datasetId, ...next };
    if (next.page === undefined) merged.page = 1;
    const url = `${pathname}${listStateToSearch(merged)}`;
    if (options.replace) window.history.replaceState(null, "", url);
    else window.history.pushState(null, "", url);
  };

  // The debounced search calls the navigate of the latest render (it closes over the URL state).
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;

  const input = listInputOf(state, datasetId);
  const isInitial = listStateToSearch({ ...state, datasetId }) === initialSearch;
  const list = useQuery({
    ...trpc.customers.list.queryOptions(input),
    initialData: isInitial ? initialList : undefined,
    placeholderData: keepPreviousData,
  });

  // Search box: typed text follows the URL, and the URL follows the text after a pause.
  const [searchText, setSearchText] = useState(state.search);
  useEffect(() => setSearchText(state.search), [state.search]);
  useEffect(() => {
    if (searchText.trim() === state.search) return;
    const timer = setTimeout(
      () => navigateRef.current({ search: searchText.trim() }, { replace: true }),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [searchText, state.search]);

  const [column, setColumn] = useState<string>("");
  const [value, setValue] = useState<string>("");
  const columnValues = columns.find((c) => c.name === column)?.values ?? [];

  const onSort = (key: CustomerSortKey) =>
    navigate({
      sort: key,
      direction: key === state.sort ? (state.direction === "asc" ? "desc" : "asc") : defaultDirection(key),
    });
  const toggleLevel = (level: Level) =>
    navigate({
      levels: state.levels.includes(level)
        ? state.levels.filter((l) => l !== level)
        : [...state.levels, level],
    });
  const addFilter = () => {
    if (!column || !value) return;
    if (!state.filters.some((f) => f.column === column && f.value === value))
      navigate({ filters: [...state.filters, { column, value }] });
    setValue("");
  };
  const removeFilter = (index: number) => navigate({ filters: state.filters.filter((_, i) => i !== index) });
  const hasFilters = state.levels.length > 0 || state.filters.length > 0 || state.search !== "";
  const isLostView = state.status === "lost";
  const clearFilters = () => {
    setSearchText("");
    navigate({ levels: [], filters: [], search: "", searchMode: "contains" });
  };

  const data = list.data;
  const summary = data?.summary;
  const dataset = datasets.find((d) => d.id === datasetId);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <span id="customers-dataset" className="text-muted-foreground text-xs">
            Dataset
          </span>
          <Select
            value={String(datasetId)}
            onValueChange={(id) =>
              router.push(`${pathname}${listStateToSearch({ ...parseListState({}), datasetId: Number(id) })}`)
            }
          >
            <SelectTrigger className="w-64" aria-labelledby="customers-dataset">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {datasets.map((d) => (
                <SelectItem key={d.id} value={String(d.id)}>
                  {d.name}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <Button asChild variant="outline" className="order-last ml-auto">
          <a
            href={`/customers/export${listStateToSearch({ ...state, datasetId, page: 1, pageSize: 25 })}`}
            download
          >
            <Download aria-hidden="true" />
            Export CSV
          </a>
        </Button>
        <LiveRefresh
          datasetId={datasetId}
          queryKeys={[trpc.customers.list.queryKey()]}
          className="order-last pb-2"
        />
        {data?.version && dataset && (
          <p className="pb-2 text-muted-foreground text-xs">
            Version {data.version.version}
            {data.version.isLatest ? " (latest)" : " (newest version the champion scored)"} · scored by model
            v{dataset.championVersion}
          </p>
        )}
      </div>

      <StatusSwitch
        value={state.status}
        active={summary?.active}
        lost={summary?.lost}
        observedChurnRate={summary?.observedChurnRate}
        onChange={(status) => navigate({ status })}
      />

      <section
        className="grid gap-3 sm:grid-cols-3"
        aria-live="polite"
        aria-label={isLostView ? "Lost customer figures" : "Customer figures"}
      >
        {summary && isLostView ? (
          <>
            <Stat
              label={hasFilters ? "Lost customers matching" : "Lost customers"}
              value={summary.customers.toLocaleString("en-US")}
              hint="Already left: not counted as at risk"
            />
            <Stat
              label="Observed churn rate"
              value={formatRisk(summary.observedChurnRate)}
              hint="Lost ÷ customers with a known outcome"
            />
            <Stat
              label="Monthly revenue lost"
              value={formatMoney(summary.monthlyValue, 0)}
              hint="Sum of their monthly value"
            />
          </>
        ) : summary ? (
          <>
            <Stat
              label={hasFilters ? "Active customers matching" : "Active customers"}
              value={summary.customers.toLocaleString("en-US")}
            />
            <Stat
              label="High risk"
              value={summary.highRisk.toLocaleString("en-US")}
              hint={
                summary.customers
                  ? `${Math.round((summary.highRisk / summary.customers) * 100)} % of these customers`
                  : undefined
              }
            />
            <Stat
              label="Monthly revenue at risk"
              value={formatMoney(summary.revenueAtRisk, 0)}
              hint="Sum of monthly value × risk score, active customers only"
            />
          </>
        ) : (
          [0, 1, 2].map((i) => <Skeleton key={i} className="h-24" />)
        )}
      </section>

      <Card className="gap-0 pb-0">
        <CardContent className="space-y-3 px-4 pb-4">
          <div className="flex flex-wrap items-end gap-3">
            <div className="w-full space-y-1 sm:w-64">
              <label htmlFor={ids.search} className="text-muted-foreground text-xs">
                Search customer id
              </label>
              <div className="relative">
                <Search
                  className="-translate-y-1/2 pointer-events-none absolute top-1/2 left-2.5 size-4 text-muted-foreground"
                  aria-hidden="true"
                />
                <Input
                  id={ids.search}
                  type="search"
                  value={searchText}
                  onChange={(e) => setSearchText(e.target.value)}
                  placeholder={
                    state.searchMode === "prefix" ? "Start of an id, e.g. 7590" : "Part of an id, e.g. 7590"
                  }
                  maxLength={100}
                  className="pl-8"
                />
              </div>
            </div>
            <div className="space-y-1">
              <span id={ids.match} className="text-muted-foreground text-xs">
                Match
              </span>
              <Select
                value={state.searchMode}
                onValueChange={(mode) => navigate({ searchMode: mode as ListState["searchMode"] })}
              >
                <SelectTrigger className="w-32" aria-labelledby={ids.match}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="contains">Contains</SelectItem>
                  <SelectItem value="prefix">Starts with</SelectItem>
                </SelectContent>
              </Select>
            </div>
            <fieldset className="space-y-1">
              <legend className="text-muted-foreground text-xs">Risk level</legend>
              <div className="flex gap-1.5">
                {LEVELS.map((level) => {
                  const isOn = state.levels.includes(level);
                  return (
                    <Button
                      key={level}
                      type="button"
                      variant="outline"
                      size="sm"
                      aria-pressed={isOn}
                      onClick={() => toggleLevel(level)}
                      className={cn("h-9", isOn && LEVEL_ACTIVE[level])}
                    >
                      {LEVEL_LABELS[level]}
                    </Button>
                  );
                })}
              </div>
            </fieldset>
            {columns.length > 0 && (
              <div className="flex flex-wrap items-end gap-2">
                <div className="space-y-1">
                  <span id={ids.column} className="text-muted-foreground text-xs">
                    Column
                  </span>
                  <Select
                    value={column}
                    onValueChange={(c) => {
                      setColumn(c);
                      setValue("");
                    }}
                  >
                    <SelectTrigger className="w-44" aria-labelledby={ids.column}>
                      <SelectValue placeholder="Choose a column" />
                    </SelectTrigger>
                    <SelectContent>
                      {columns.map((c) => (
                        <SelectItem key={c.name} value={c.name}>
                          {c.name}
                        </SelectItem>
                      ))}
                    </SelectContent>
                  </Select>
                </div>
                <div className="space-y-1">
                  <span id={ids.value} className="text-muted-foreground text-xs">
                    Value
                  </span>
                  <Select value={value} onValueChange={setValue} disabled={!column}>
                    <SelectTrigger className="w-48" aria-labelledby={ids.value}>
                      <SelectValue placeholder={column ? "Choose a value" : "Column first"} />
                    </SelectTrigger>
                    <SelectContent>
                      {columnValues.map((v) => (
                        <SelectItem key={v.value} value={v.value}>
                          {v.value}{" "}
                          <span className="text-muted-foreground text-xs">
                            ({v.count.toLocaleString("en-US")})
                          </span>
                        </SelectItem>
                      ))}
                    </SelectContent>
                  </Select>
                </div>
                <Button type="button" variant="secondary" onClick={addFilter} disabled={!column || !value}>
                  <Plus aria-hidden="true" />
                  Add filter
                </Button>
              </div>
            )}
          </div>
          {(state.filters.length > 0 || hasFilters) && (
            <div className="flex flex-wrap items-center gap-2">
              {state.filters.map((f, i) => (
                <span
                  key={`${f.column}\u0000${f.value}`}
                  className="inline-flex items-center gap-1 rounded-full border bg-muted/50 py-0.5 pr-1 pl-2.5 text-xs"
                >
                  {f.column} = {f.value}
                  <button
                    type="button"
                    onClick={() => removeFilter(i)}
                    className="rounded-full p-0.5 hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                    aria-label={`Remove filter ${f.column} = ${f.value}`}
                  >
                    <X className="size-3" aria-hidden="true" />
                  </button>
                </span>
              ))}
              {hasFilters && (
                <Button type="button" variant="ghost" size="sm" onClick={clearFilters}>
                  <FilterX aria-hidden="true" />
                  Clear filters
                </Button>
              )}
            </div>
          )}
        </CardContent>

        {list.isError ? (
          <p role="alert" className="border-t px-4 py-6 text-destructive text-sm">
            Could not load the customers: {list.error.message}
          </p>
        ) : !data ? (
          <div className="space-y-2 border-t p-4" role="status" aria-label="Loading customers">
            {Array.from({ length: 8 }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton rows
              <Skeleton key={i} className="h-10 w-full" />
            ))}
          </div>
        ) : data.rows.length === 0 ? (
          <div className="border-t px-4 py-12 text-center">
            <p className="font-medium">
              {isLostView
                ? "No lost customers match these filters"
                : "No active customers match these filters"}
            </p>
            <p className="mt-1 text-muted-foreground text-sm">
              {hasFilters
                ? "Remove a filter or clear them all to see every scored customer."
                : isLostView
                  ? "The data marks no scored customer as churned."
                  : "Every scored customer of this dataset has already left."}
            </p>
            {hasFilters && (
              <Button type="button" variant="outline" className="mt-4" onClick={clearFilters}>
                <FilterX aria-hidden="true" />
                Clear filters
              </Button>
            )}
          </div>
        ) : (
          <div
            className={cn("border-t transition-opacity", list.isFetching && "opacity-70")}
            aria-busy={list.isFetching}
          >
            <CustomersTable rows={data.rows} sort={state.sort} direction={state.direction} onSort={onSort} />
          </div>
        )}

        {data && data.rows.length > 0 && (
          <div className="flex flex-wrap items-center justify-between gap-3 border-t px-4 py-3 text-sm">
            <p className="text-muted-foreground" aria-live="polite">
              {((data.page - 1) * data.pageSize + 1).toLocaleString("en-US")}–
              {Math.min(data.page * data.pageSize, data.summary.customers).toLocaleString("en-US")} of{" "}
              {data.summary.customers.toLocaleString("en-US")} {isLostView ? "lost" : "active"} customers
            </p>
            {canAssign && !isLostView && (
              <AssignSelectionDialog datasetId={datasetId} customers={data.rows} />
            )}
            <div className="flex items-center gap-2">
              <span id={ids.size} className="text-muted-foreground text-xs">
                Rows per page
              </span>
              <Select
                value={String(state.pageSize)}
                onValueChange={(size) => navigate({ pageSize: Number(size) as PageSize })}
              >
                <SelectTrigger className="h-8 w-20" aria-labelledby={ids.size}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {PAGE_SIZES.map((size) => (
                    <SelectItem key={size} value={String(size)}>
                      {size}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              <Button
                type="button"
                variant="outline"
                size="sm"
                disabled={data.page <= 1}
                onClick={() => navigate({ page: data.page - 1 })}
              >
                Previous
              </Button>
              <span className="text-muted-foreground text-xs tabular-nums">
                Page {data.page} of {data.pageCount.toLocaleString("en-US")}
              </span>
              <Button
                type="button"
                variant="outline"
                size="sm"
                disabled={data.page >= data.pageCount}
                onClick={() => navigate({ page: data.page + 1 })}
              >
                Next
              </Button>
            </div>
          </div>
        )}
      </Card>
    </div>
  );
}
