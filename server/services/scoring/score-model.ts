/**
 * Scores every customer of a model's dataset version with that model: what a manual promotion or
 * rollback needs (training scores only with the champion it picks), run as the durable function
 * jobs/functions/score-champion.ts. Upserts, so a retried or repeated run writes the same rows.
 */
import { and, count, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { customers, models, scores } from "../../db/schema";
import { observeScoring } from "../../metrics";
import { loadModel } from "../models/artifacts";
import { getRiskBands } from "../settings";
import { loadScoringRows } from "./current-rows";
import { type ScoringSummary, scoreCustomers } from "./score-customers";

export interface ScoreCoverage {
  modelId: number;
  datasetVersionId: number;
  customers: number;
  scored: number;
}

/** How many customers of the model's dataset version it has scored; null for an unknown model. */
export async function scoreCoverage(db: Database, modelId: number): Promise<ScoreCoverage | null> {
  const [model] = await db
    .select({ datasetVersionId: models.datasetVersionId })
    .from(models)
    .where(eq(models.id, modelId));
  if (!model) return null;
  const [[total], [scored]] = await Promise.all([
    db.select({ n: count() }).from(customers).where(eq(customers.datasetVersionId, model.datasetVersionId)),
    db
      .select({ n: count() })
      .from(scores)
      .innerJoin(customers, eq(customers.id, scores.customerId))
      .where(and(eq(scores.modelId, modelId), eq(customers.datasetVersionId, model.datasetVersionId))),
  ]);
  return { modelId, datasetVersionId: model.datasetVersionId, customers: total.n, scored: scored.n };
}

/** `coverage`: the model's scoreCoverage when the caller already read it. */
export async function scoreModelCustomers(
  db: Database,
  modelId: number,
  options: { coverage?: ScoreCoverage; onBatch?: (done: number, total: number) => void | Promise<void> } = {},
): Promise<ScoringSummary> {
  const coverage = options.coverage ?? (await scoreCoverage(db, modelId));
  if (!coverage) throw new Error(`Model ${modelId} does not exist`);
  const [model, table, bands] = await Promise.all([
    loadModel(db, modelId),
    // Current features (what events changed) over the upload rows: a promotion must not revert them.
    loadScoringRows(db, coverage.datasetVersionId),
    getRiskBands(db),
  ]);
  const started = performance.now();
  const summary = await scoreCustomers(db, { modelId, model, table, bands, onBatch: options.onBatch });
  observeScoring("champion", (performance.now() - started) / 1000);
  return summary;
}
