/**
 * Optional engineered features that switch on by column presence only, so any churn table gets
 * them when it has the columns and nothing is Telco-specific:
 * - tenure bins (0-12, 12-24, 24-48, 48+ months) when a tenure-like numeric column exists and
 *   reaches more than 24 (so a tenure counted in years, like the bank data's 0-10, is left alone);
 * - total charges per month of tenure (total / max(tenure, 1)) when a total-charges-like and a
 *   tenure-like column exist;
 * - the number of subscribed services when at least three service-like yes/no columns exist
 *   ("No internet service" counts as not subscribed; a service column without "Yes", such as
 *   InternetService = DSL / Fiber optic / No, counts every value but "No").
 *
 * Attribution: each engineered feature is its own named group in the pipeline's sources (e.g.
 * "tenure bin", "TotalCharges per tenure month"), listed with the original columns it reads in
 * `sources`. A ratio depends on two columns, and giving its SHAP value to either one would
 * misstate the other; a named group keeps per-column explanations additive and honest, and the
 * what-if form still edits only original columns (engineered values are recomputed).
 */
import { compactName, nameTokens } from "../data/column-names";
import type { DatasetSchema } from "../data/dataset-schema";

export type EngineeredRecipe =
  | { type: "tenure_bins"; tenure: string; edges: number[] }
  | { type: "ratio"; numerator: string; denominator: string; minDenominator: number }
  | { type: "count_subscribed"; columns: string[] };

export interface EngineeredFeatureSpec {
  /** Name of the engineered input, unique among the data set's columns. */
  name: string;
  kind: "numeric" | "categorical";
  /** Original columns it is computed from. */
  sources: string[];
  description: string;
  recipe: EngineeredRecipe;
}

/** Reads one row's original values: numbers (NaN = missing) and trimmed text (null = missing). */
export interface SourceRow {
  number(column: string): number;
  text(column: string): string | null;
}

export const TENURE_BIN_EDGES = [12, 24, 48];

const TENURE_NAMES = new Set([
  "tenure",
  "tenuremonths",
  "monthsascustomer",
  "monthswithcompany",
  "accountlength",
  "monthsonbook",
  "customermonths",
  "lifetimemonths",
  "subscriptionmonths",
]);
const SERVICE_TOKENS = new Set([
  "service",
  "services",
  "streaming",
  "security",
  "backup",
  "protection",
  "support",
  "lines",
  "tv",
  "movies",
  "addon",
  "subscription",
  "insurance",
]);

/** Engineered features whose source columns are features of `schema`. */
export function detectEngineeredFeatures(schema: DatasetSchema): EngineeredFeatureSpec[] {
  const features = schema.columns.filter((c) => c.role === "feature");
  const taken = new Set(schema.columns.map((c) => c.name));
  const unique = (name: string) => {
    let candidate = name;
    for (let i = 2; taken.has(candidate); i++) candidate = `${name} ${i}`;
    taken.add(candidate);
    return candidate;
  };
  const specs: EngineeredFeatureSpec[] = [];

  const tenure = features.find(
    (c) =>
      c.type === "numeric" &&
      (TENURE_NAMES.has(compactName(c.name)) || nameTokens(c.name).includes("tenure")) &&
      (c.stats.max ?? 0) > 24,
  );
  if (tenure) {
    specs.push({
      name: unique(`${tenure.name} bin`),
      kind: "categorical",
      sources: [tenure.name],
      description: `${tenure.name} in bins of 0-12, 12-24, 24-48 and 48+ months`,
      recipe: { type: "tenure_bins", tenure: tenure.name, edges: TENURE_BIN_EDGES },
    });
    const total = features.find((c) => {
      if (c.type !== "numeric" || c === tenure) return false;
      const compact = compactName(c.name);
      return /total/.test(compact) && /charge|spend|amount|revenue|paid|billing|bill|value/.test(compact);
    });
    if (total) {
      specs.push({
        name: unique(`${total.name} per ${tenure.name} month`),
        kind: "numeric",
        sources: [total.name, tenure.name],
        description: `${total.name} / max(${tenure.name}, 1): average charge per month of tenure`,
        recipe: { type: "ratio", numerator: total.name, denominator: tenure.name, minDenominator: 1 },
      });
    }
  }

  const services = features.filter((c) => {
    if (c.type !== "boolean" && c.type !== "categorical") return false;
    if (!nameTokens(c.name).some((t) => SERVICE_TOKENS.has(t))) return false;
    const values = c.stats.topValues.map((v) => v.value.toLowerCase());
    return values.includes("no") && values.length <= 4;
  });
  if (services.length >= 3) {
    specs.push({
      name: unique("services subscribed"),
      kind: "numeric",
      sources: services.map((c) => c.name),
      description: `number of subscribed services among ${services.map((c) => c.name).join(", ")}`,
      recipe: { type: "count_subscribed", columns: services.map((c) => c.name) },
    });
  }
  return specs;
}

/** Level names of the tenure bins, in order. */
export function tenureBinLevels(edges: readonly number[]): string[] {
  const levels = [`0-${edges[0]}`];
  for (let i = 1; i < edges.length; i++) levels.push(`${edges[i - 1]}-${edges[i]}`);
  levels.push(`${edges[edges.length - 1]}+`);
  return levels;
}

function isSubscribed(value: string): boolean {
  const lower = value.toLowerCase();
  return lower !== "no" && !lower.startsWith("no ") && lower !== "0" && lower !== "false" && lower !== "n";
}

/**
 * The engineered value of one row: a number (NaN = missing) for numeric features, a level name
 * (null = missing) for categorical ones.
 */
export function engineeredValue(spec: EngineeredFeatureSpec, row: SourceRow): number | string | null {
  const recipe = spec.recipe;
  switch (recipe.type) {
    case "tenure_bins": {
      const tenure = row.number(recipe.tenure);
      if (Number.isNaN(tenure)) return null;
      const levels = tenureBinLevels(recipe.edges);
      for (let i = 0; i < recipe.edges.length; i++) if (tenure <= recipe.edges[i]) return levels[i];
      return levels[levels.length - 1];
    }
    case "ratio": {
      const numerator = row.number(recipe.numerator);
      const denominator = row.number(recipe.denominator);
      if (Number.isNaN(numerator) || Number.isNaN(denominator)) return Number.NaN;
      return numerator / Math.max(denominator, recipe.minDenominator);
    }
    case "count_subscribed": {
      let count = 0;
      let known = 0;
      for (const column of recipe.columns) {
        const value = row.text(column);
        if (value === null) continue;
        known++;
        if (isSubscribed(value)) count++;
      }
      return known === 0 ? Number.NaN : count;
    }
  }
}
