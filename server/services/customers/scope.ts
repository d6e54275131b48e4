/**
 * Which customers the Customers pages show for a dataset: those of its latest version that the
 * champion scored. The training run scores the version it trained on, so after a new upload the
 * list keeps showing the newest version that has champion scores until the next run.
 */
import { TRPCError } from "@trpc/server";
import { and, desc, eq, sql } from "drizzle-orm";
import { type DatasetSchema, parseDatasetSchema } from "@/lib/ml/data";
import type { Database } from "../../db/client";
import { customers, datasets, datasetVersions, models, scores } from "../../db/schema";
import type { DatasetProfile } from "../datasets/profile";

export interface ChampionSummary {
  id: number;
  version: number;
  algorithm: string;
  promotedAt: Date | null;
}

export interface CustomerScope {
  dataset: { id: number; name: string };
  champion: ChampionSummary | null;
  /** The version whose customers are listed; null when the dataset has no version. */
  version: { id: number; version: number; rowCount: number; isLatest: boolean } | null;
  /** Whether the champion scored any customer of `version`. */
  isScored: boolean;
}

/** Datasets that have a champion, the most recently promoted first (the page's default is the first). */
export async function listCustomerDatasets(db: Database) {
  return db
    .select({
      id: datasets.id,
      name: datasets.name,
      championId: models.id,
      championVersion: models.version,
      algorithm: models.algorithm,
    })
    .from(datasets)
    .innerJoin(models, and(eq(models.datasetId, datasets.id), eq(models.status, "champion")))
    .orderBy(sql`coalesce(${models.promotedAt}, ${models.createdAt}) desc`, desc(datasets.id));
}

export async function resolveCustomerScope(db: Database, datasetId: number): Promise<CustomerScope> {
  const [dataset] = await db
    .select({ id: datasets.id, name: datasets.name })
    .from(datasets)
    .where(eq(datasets.id, datasetId));
  if (!dataset) {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `Dataset ${datasetId} does not exist (it may have been deleted).`,
    });
  }
  const [champion] = await db
    .select({
      id: models.id,
      version: models.version,
      algorithm: models.algorithm,
      promotedAt: models.promotedAt,
    })
    .from(models)
    .where(and(eq(models.datasetId, datasetId), eq(models.status, "champion")));
  const versions = await db
    .select({ id: datasetVersions.id, version: datasetVersions.version, rowCount: datasetVersions.rowCount })
    .from(datasetVersions)
    .where(eq(datasetVersions.datasetId, datasetId))
    .orderBy(desc(datasetVersions.version));
  if (versions.length === 0) return { dataset, champion: champion ?? null, version: null, isScored: false };
  const latest = versions[0];
  if (champion) {
    // A handful of versions at most; each probe stops at the first scored customer (index lookups).
    for (const v of versions) {
      const [hit] = await db
        .select({ one: sql<number>`1` })
        .from(customers)
        .innerJoin(scores, and(eq(scores.customerId, customers.id), eq(scores.modelId, champion.id)))
        .where(eq(customers.datasetVersionId, v.id))
        .limit(1);
      if (hit) {
        return {
          dataset,
          champion,
          version: { ...v, isLatest: v.id === latest.id },
          isScored: true,
        };
      }
    }
  }
  return {
    dataset,
    champion: champion ?? null,
    version: { ...latest, isLatest: true },
    isScored: false,
  };
}

export interface FilterableColumn {
  name: string;
  type: "categorical" | "boolean";
  /** Values with their number of customers in the version (most frequent first). */
  values: { value: string; count: number }[];
}

/**
 * Columns the list can filter on: feature columns of categorical or boolean type, with the values
 * of the version's profile (all rows; "Other" folds are left out), or the schema's top values.
 */
export async function filterableColumns(db: Database, datasetVersionId: number): Promise<FilterableColumn[]> {
  const [row] = await db
    .select({ schema: datasetVersions.schema, profile: datasetVersions.profile })
    .from(datasetVersions)
    .where(eq(datasetVersions.id, datasetVersionId));
  if (!row) return [];
  const schema: DatasetSchema = parseDatasetSchema(row.schema);
  const profile = row.profile as Partial<DatasetProfile>;
  const profiled = new Map((profile.columns ?? []).map((c) => [c.name, c]));
  return [...schema.columns]
    .sort((a, b) => a.index - b.index)
    .filter(
      (c) =>
        c.role === "feature" && c.personalData === null && (c.type === "categorical" || c.type === "boolean"),
    )
    .map((c) => {
      const buckets = profiled.get(c.name)?.distribution;
      const values = buckets
        ? buckets.filter((b) => !b.isOther).map((b) => ({ value: b.label, count: b.count }))
        : c.stats.topValues.map((v) => ({ value: v.value, count: v.count }));
      return { name: c.name, type: c.type as "categorical" | "boolean", values };
    });
}
