/**
 * The customers list's state lives in the URL, so links and reloads keep it:
 * `?dataset=3&status=lost&page=2&size=50&sort=revenueAtRisk&dir=asc&level=high&f.Contract=Month-to-month&q=77&match=prefix`.
 * A filter is `f.<column>=<value>` (repeat for several values): the column name stays data.
 */
export const SORTS = ["risk", "monthlyValue", "revenueAtRisk", "customerId"] as const;
export type SortKey = (typeof SORTS)[number];
export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const LEVELS = ["high", "medium", "low"] as const;
export type Level = (typeof LEVELS)[number];
/** Active customers (the default) or lost ones, whose label says they already churned. */
export const STATUSES = ["active", "lost"] as const;
export type Status = (typeof STATUSES)[number];
const FILTER_PREFIX = "f.";

export interface ListState {
  datasetId: number | undefined;
  status: Status;
  page: number;
  pageSize: PageSize;
  sort: SortKey;
  direction: "asc" | "desc";
  levels: Level[];
  filters: { column: string; value: string }[];
  search: string;
  /** "prefix": ids starting with the search text; "contains": anywhere in the id. */
  searchMode: "contains" | "prefix";
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function entriesOf(params: Params): [string, string][] {
  if (params instanceof URLSearchParams) return [...params.entries()];
  return Object.entries(params).flatMap(([key, value]) =>
    value === undefined
      ? []
      : (Array.isArray(value) ? value : [value]).map((v): [string, string] => [key, v]),
  );
}

export function defaultDirection(sort: SortKey): "asc" | "desc" {
  return sort === "customerId" ? "asc" : "desc";
}

export function parseListState(params: Params): ListState {
  const entries = entriesOf(params);
  const first = (key: string) => entries.find(([k]) => k === key)?.[1];
  const positive = (value: string | undefined) =>
    value && /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : undefined;
  const sort = (SORTS as readonly string[]).includes(first("sort") ?? "")
    ? (first("sort") as SortKey)
    : "risk";
  const dir = first("dir");
  const size = positive(first("size"));
  const filters: ListState["filters"] = [];
  for (const [key, value] of entries) {
    if (!key.startsWith(FILTER_PREFIX) || key.length === FILTER_PREFIX.length) continue;
    const column = key.slice(FILTER_PREFIX.length);
    if (!filters.some((f) => f.column === column && f.value === value)) filters.push({ column, value });
  }
  const levels = entries
    .filter(([k]) => k === "level")
    .flatMap(([, v]) => v.split(","))
    .filter((v, i, all): v is Level => (LEVELS as readonly string[]).includes(v) && all.indexOf(v) === i);
  return {
    datasetId: positive(first("dataset")),
    status: first("status") === "lost" ? "lost" : "active",
    page: positive(first("page")) ?? 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size ?? 0) ? (size as PageSize) : 25,
    sort,
    direction: dir === "asc" || dir === "desc" ? dir : defaultDirection(sort),
    levels,
    filters: filters.slice(0, 20),
    search: (first("q") ?? "").trim().slice(0, 100),
    searchMode: first("match") === "prefix" ? "prefix" : "contains",
  };
}

/** The query string of a state, defaults left out. */
export function listStateToSearch(state: ListState): string {
  const params = new URLSearchParams();
  if (state.datasetId !== undefined) params.set("dataset", String(state.datasetId));
  if (state.status !== "active") params.set("status", state.status);
  if (state.page > 1) params.set("page", String(state.page));
  if (state.pageSize !== 25) params.set("size", String(state.pageSize));
  if (state.sort !== "risk") params.set("sort", state.sort);
  if (state.direction !== defaultDirection(state.sort)) params.set("dir", state.direction);
  for (const level of state.levels) params.append("level", level);
  for (const f of state.filters) params.append(`${FILTER_PREFIX}${f.column}`, f.value);
  if (state.search) params.set("q", state.search);
  if (state.searchMode === "prefix") params.set("match", "prefix");
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The list procedure's input for a state (the dataset resolved by the page). */
export function listInputOf(state: ListState, datasetId: number) {
  return {
    datasetId,
    status: state.status,
    page: state.page,
    pageSize: state.pageSize,
    sort: state.sort,
    direction: state.direction,
    levels: state.levels,
    filters: state.filters,
    search: state.search,
    searchMode: state.searchMode,
  };
}
