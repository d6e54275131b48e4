/** Shared look of the model charts: theme colours as CSS variables, so dark mode just works. */
export const AXIS_TICK = { fontSize: 11, fill: "var(--muted-foreground)" };
export const GRID_STROKE = "var(--border)";
/** Motion budget: charts animate in at most 300 ms. */
export const ANIMATION_MS = 300;
/** Series colours in order (model A, model B, …). */
export const SERIES_COLORS = [
  "var(--chart-1)",
  "var(--chart-3)",
  "var(--chart-2)",
  "var(--chart-4)",
  "var(--chart-5)",
];
export const REFERENCE_STROKE = "var(--muted-foreground)";
