/**
 * Real, working examples for the API page: each dataset with a champion, and a customer built
 * from the champion's own inputs (the typical value of every column), so the curl command on the
 * page scores as-is.
 */
import { asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { datasets, models } from "../../db/schema";
import { loadPredictor, NoChampionError } from "../predictions";

export interface ApiExampleDataset {
  datasetId: number;
  name: string;
  modelVersion: number;
  algorithm: string;
  /**
   * [column, typical training value] pairs (median or most frequent category): pairs, not an
   * object, because a column may be called "__proto__" or "constructor" (superjson refuses those keys).
   */
  exampleCustomer: [string, string | number][];
  inputs: {
    name: string;
    kind: "numeric" | "categorical";
    categories?: string[];
    min?: number;
    max?: number;
  }[];
}

export async function listApiExampleDatasets(db: Database): Promise<ApiExampleDataset[]> {
  const rows = await db
    .select({ id: datasets.id, name: datasets.name })
    .from(datasets)
    .innerJoin(models, eq(models.datasetId, datasets.id))
    .where(eq(models.status, "champion"))
    .orderBy(asc(datasets.name));
  const out: ApiExampleDataset[] = [];
  for (const row of rows) {
    try {
      const predictor = await loadPredictor(db, row.id);
      out.push({
        datasetId: row.id,
        name: row.name,
        modelVersion: predictor.model.version,
        algorithm: predictor.model.algorithm,
        exampleCustomer: predictor.inputs.map((i): [string, string | number] => [i.name, i.defaultValue]),
        inputs: predictor.inputs.map((i) => ({
          name: i.name,
          kind: i.kind,
          ...(i.categories ? { categories: i.categories.slice(0, 12) } : {}),
          ...(i.min !== undefined ? { min: i.min, max: i.max } : {}),
        })),
      });
    } catch (error) {
      // A champion demoted between the two queries: leave the dataset out.
      if (!(error instanceof NoChampionError)) throw error;
    }
  }
  return out;
}
