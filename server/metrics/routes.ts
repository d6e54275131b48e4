/**
 * The `route` label of HTTP metrics: the route's pattern (`/customers/[id]`), never the path a
 * client sent, so ids and scanners' random paths cannot grow the label set without bound.
 * Patterns come from the build's routes manifest (Next.js writes every page and route handler's
 * regex there); without one (tests, a dev server) numeric and uuid-like segments become `[id]`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export type RouteLabeler = (pathname: string) => string;

interface ManifestRoute {
  page: string;
  regex: string;
}

export interface RoutesManifest {
  staticRoutes?: ManifestRoute[];
  dynamicRoutes?: ManifestRoute[];
}

/** Labels past this many distinct ones are counted as "(other)". */
const MAX_LABELS = 200;

const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8}-[0-9a-f-]{27,}|[A-Za-z0-9_-]{24,})$/i;

function heuristicLabel(pathname: string): string {
  if (pathname.startsWith("/_next/")) return "/_next/*";
  const segments = pathname.split("/").map((segment) => (ID_SEGMENT.test(segment) ? "[id]" : segment));
  return segments.join("/").replace(/(.)\/$/, "$1") || "/";
}

export function createRouteLabeler(manifest: RoutesManifest | null): RouteLabeler {
  const routes = manifest
    ? [...(manifest.staticRoutes ?? []), ...(manifest.dynamicRoutes ?? [])].map((route) => ({
        page: route.page,
        regex: new RegExp(route.regex),
      }))
    : null;
  const seen = new Set<string>();
  return (pathname) => {
    let label: string;
    if (pathname.startsWith("/_next/")) label = "/_next/*";
    else if (routes) label = routes.find((route) => route.regex.test(pathname))?.page ?? "(unmatched)";
    else label = heuristicLabel(pathname);
    if (seen.has(label)) return label;
    if (seen.size >= MAX_LABELS) return "(other)";
    seen.add(label);
    return label;
  };
}

/** The labeler for the build Next.js serves from `distDir`, or the heuristic one without a build. */
export function routeLabelerForBuild(distDir: string): RouteLabeler {
  try {
    const file = path.join(distDir, "routes-manifest.json");
    return createRouteLabeler(JSON.parse(readFileSync(file, "utf8")) as RoutesManifest);
  } catch {
    return createRouteLabeler(null);
  }
}
