/**
 * Which customers the Customers pages show for a dataset: those the champion scored. A training
 * run scores the version it trained on, which is the latest version unless a file was uploaded
 * since; then the list keeps showing the scored version (and says so) until the next run.
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

/**
 * Two round trips: the dataset with its champion and latest version, then the listed version with
 * a probe for the champion's scores (from the scores side, so an unscored champion costs nothing).
 */
export async function resolveCustomerScope(db: Database, datasetId: number): Promise<CustomerScope> {
  const [row] = await db
    .select({
      id: datasets.id,
      name: datasets.name,
      championId: models.id,
      championVersion: models.version,
      algorithm: models.algorithm,
      promotedAt: models.promotedAt,
      championDatasetVersionId: models.datasetVersionId,
      // The dataset id is bound as a value, not correlated with the outer row: drizzle writes a
      // single-table select's columns unqualified, and an unqualified name in a subquery binds to
      // the subquery's own table (which is how the scored probe below once compared wrong ids).
      latestVersionId: sql<number | null>`(
        select ${datasetVersions.id} from ${datasetVersions}
        where ${datasetVersions.datasetId} = ${datasetId}
        order by ${datasetVersions.version} desc limit 1)`,
    })
    .from(datasets)
    .leftJoin(models, and(eq(models.datasetId, datasets.id), eq(models.status, "champion")))
    .where(eq(datasets.id, datasetId));
  if (!row) {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `Dataset ${datasetId} does not exist (it may have been deleted).`,
    });
  }
  const dataset = { id: row.id, name: row.name };
  const champion: ChampionSummary | null =
    row.championId === null
      ? null
      : {
          id: row.championId,
          version: row.championVersion as number,
          algorithm: row.algorithm as string,
          promotedAt: row.promotedAt,
        };
  const latestVersionId = row.latestVersionId === null ? null : Number(row.latestVersionId);
  // Training scores the version it trained on, so that is the version the champion's scores cover.
  const versionId = row.championDatasetVersionId ?? latestVersionId;
  if (versionId === null) return { dataset, champion, version: null, isScored: false };
  // Values, never outer columns, inside the subquery (see latestVersionId above).
  const probe = champion
    ? sql<boolean>`exists (
        select 1 from ${scores} inner join ${customers} on ${customers.id} = ${scores.customerId}
        where ${scores.modelId} = ${champion.id} and ${customers.datasetVersionId} = ${versionId})`
    : sql<boolean>`false`;
  const [version] = await db
    .select({
      id: datasetVersions.id,
      version: datasetVersions.version,
      rowCount: datasetVersions.rowCount,
      isScored: probe,
    })
    .from(datasetVersions)
    .where(eq(datasetVersions.id, versionId));
  const { isScored, ...summary } = version;
  return {
    dataset,
    champion,
    version: { ...summary, isLatest: summary.id === latestVersionId },
    isScored: Boolean(isScored),
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
  let cache = columnCaches.get(db);
  if (!cache) {
    cache = new Map();
    columnCaches.set(db, cache);
  }
  const cached = cache.get(datasetVersionId);
  if (cached) return cached;
  const columns = await readFilterableColumns(db, datasetVersionId);
  cache.set(datasetVersionId, columns);
  if (cache.size > 50) cache.delete(cache.keys().next().value as number);
  return columns;
}

/**
 * A version's schema and profile are written once, by the import transaction, and never change;
 * so its filterable columns are kept per database object and version id.
 */
const columnCaches = new WeakMap<Database, Map<number, FilterableColumn[]>>();

async function readFilterableColumns(db: Database, datasetVersionId: number): Promise<FilterableColumn[]> {
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
