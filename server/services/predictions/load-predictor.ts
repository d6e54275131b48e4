/**
 * The dataset's champion as a Predictor, from the registry and the settings. Apart from
 * predictor.ts so that code scoring with a model it already has (worker threads, the CLI) does
 * not load the database layer.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { datasets } from "../../db/schema";
import { loadChampion } from "../models/champion";
import { getRiskBands } from "../settings";
import { NoChampionError } from "./errors";
import { Predictor } from "./predictor";

/** The champion of a dataset ready to score; NoChampionError when there is none. */
export async function loadPredictor(db: Database, datasetId: number): Promise<Predictor> {
  const [champion, bands] = await Promise.all([loadChampion(db, datasetId), getRiskBands(db)]);
  if (!champion) {
    const [dataset] = await db.select({ id: datasets.id }).from(datasets).where(eq(datasets.id, datasetId));
    throw new NoChampionError(datasetId, dataset ? "no_champion" : "no_dataset");
  }
  return new Predictor(champion, bands);
}
