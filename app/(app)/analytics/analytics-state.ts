/**
 * The Analytics page's choices live in the URL so a link reopens the same view:
 * `?dataset=3&tab=segments&col=Contract&col=tenure&bins=4&view=heatmap&metric=risk&duration=tenure&by=Contract`.
 * Column names are data: they are validated by the server against the dataset's columns.
 */
export const TABS = ["segments", "retention", "trend", "model"] as const;
export type Tab = (typeof TABS)[number];

export interface AnalyticsState {
  tab: Tab;
  columns: string[];
  bins: number;
  view: "table" | "heatmap";
  metric: "churn" | "risk";
  duration: string | null;
  by: string | null;
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function all(params: Params, key: string): string[] {
  if (params instanceof URLSearchParams) return params.getAll(key);
  const v = params[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function parseAnalyticsState(params: Params): AnalyticsState {
  const first = (key: string) => all(params, key)[0];
  const tab = (TABS as readonly string[]).includes(first("tab") ?? "") ? (first("tab") as Tab) : "segments";
  const bins = Number(first("bins"));
  return {
    tab,
    columns: [...new Set(all(params, "col").map((c) => c.slice(0, 200)))].slice(0, 2),
    bins: Number.isInteger(bins) && bins >= 2 && bins <= 10 ? bins : 4,
    view: first("view") === "heatmap" ? "heatmap" : "table",
    metric: first("metric") === "risk" ? "risk" : "churn",
    duration: first("duration")?.slice(0, 200) ?? null,
    by: first("by")?.slice(0, 200) ?? null,
  };
}

export function analyticsStateToSearch(datasetId: number, state: AnalyticsState): string {
  const params = new URLSearchParams({ dataset: String(datasetId) });
  if (state.tab !== "segments") params.set("tab", state.tab);
  for (const c of state.columns) params.append("col", c);
  if (state.bins !== 4) params.set("bins", String(state.bins));
  if (state.view !== "table") params.set("view", state.view);
  if (state.metric !== "churn") params.set("metric", state.metric);
  if (state.duration) params.set("duration", state.duration);
  if (state.by) params.set("by", state.by);
  return `?${params.toString()}`;
}
