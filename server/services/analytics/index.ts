/** Analytics: segments, retention curves, risk over time — aggregated in SQL, cached per scores generation. */
export { ANALYTICS_TTL_MS, cachedAnalytics, clearAnalyticsCache } from "./cache";
export * from "./export";
export * from "./overview";
export * from "./retention";
export * from "./risk-trend";
export { type AnalyticsScope, resolveAnalyticsScope, type SegmentColumn } from "./scope";
export * from "./segments";
