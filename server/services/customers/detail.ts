/**
 * One customer: their fields, the latest champion score, the score of every model that scored
 * them (history across model versions), and a live explanation by the current champion.
 */
import { TRPCError } from "@trpc/server";
import { asc, eq } from "drizzle-orm";
import { columnRecord } from "@/lib/column-record";
import { parseDatasetSchema } from "@/lib/ml/data";
import type { Database } from "../../db/client";
import {
  customerCurrentFeatures,
  customers,
  datasets,
  datasetVersions,
  models,
  scores,
} from "../../db/schema";
import { loadPredictor, NoChampionError, PredictionInputError } from "../predictions";
import { buildCustomerInsight, type CustomerInsight } from "../retention";
import type { RiskDriver } from "../scoring/drivers";
import type { RiskLevel } from "../scoring/risk";
import { type CustomerStatus, statusOfLabel } from "./status";

export interface CustomerField {
  name: string;
  value: string | number | null;
  type: string;
  /** feature | target | identifier | excluded */
  role: string;
}

export interface ScoreHistoryEntry {
  modelId: number;
  version: number;
  algorithm: string;
  status: string;
  riskScore: number;
  riskLevel: RiskLevel;
  drivers: RiskDriver[];
  scoredAt: Date;
}

export async function getCustomerDetail(db: Database, customerId: number) {
  const [row] = await db
    .select({
      id: customers.id,
      externalId: customers.externalId,
      rowNumber: customers.rowNumber,
      uploaded: customers.features,
      // Live events (server/services/events) change the current features, never the upload row.
      current: customerCurrentFeatures.features,
      label: customers.label,
      monthlyValue: customers.monthlyValue,
      versionId: datasetVersions.id,
      version: datasetVersions.version,
      schema: datasetVersions.schema,
      datasetId: datasets.id,
      datasetName: datasets.name,
    })
    .from(customers)
    .innerJoin(datasetVersions, eq(datasetVersions.id, customers.datasetVersionId))
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .leftJoin(customerCurrentFeatures, eq(customerCurrentFeatures.customerId, customers.id))
    .where(eq(customers.id, customerId));
  if (!row) {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `Customer ${customerId} does not exist (the dataset may have been deleted).`,
    });
  }
  const features = row.current ?? row.uploaded;
  const schema = parseDatasetSchema(row.schema);
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const fields: CustomerField[] = Object.entries(features)
    .map(([name, value]) => ({
      name,
      value,
      type: byName.get(name)?.type ?? "text",
      role: byName.get(name)?.role ?? "excluded",
      index: byName.get(name)?.index ?? Number.MAX_SAFE_INTEGER,
    }))
    .sort((a, b) => a.index - b.index)
    .map(({ index: _index, ...field }) => field);

  const history: ScoreHistoryEntry[] = (
    await db
      .select({
        modelId: models.id,
        version: models.version,
        algorithm: models.algorithm,
        status: models.status,
        riskScore: scores.riskScore,
        riskLevel: scores.riskLevel,
        drivers: scores.drivers,
        scoredAt: scores.scoredAt,
      })
      .from(scores)
      .innerJoin(models, eq(models.id, scores.modelId))
      .where(eq(scores.customerId, customerId))
      .orderBy(asc(models.version))
  ).map((h) => ({ ...h, riskLevel: h.riskLevel as RiskLevel }));
  const championScore = history.find((h) => h.status === "champion") ?? null;

  const { insight, champion, insightProblem } = await explainLive(db, row.datasetId, features);
  const latest = championScore ?? null;
  const status: CustomerStatus = statusOfLabel(row.label);
  return {
    customer: {
      id: Number(row.id),
      externalId: row.externalId,
      rowNumber: row.rowNumber,
      label: row.label,
      /** "lost" when the label says this customer already churned: then nothing of theirs is at risk. */
      status,
      monthlyValue: row.monthlyValue,
      fields,
    },
    dataset: { id: row.datasetId, name: row.datasetName },
    datasetVersion: { id: row.versionId, version: row.version },
    target: schema.target,
    champion,
    /** The champion's stored score of this customer; null when the champion has not scored them. */
    latest: latest
      ? {
          ...latest,
          revenueAtRisk:
            status === "lost" || row.monthlyValue === null ? null : row.monthlyValue * latest.riskScore,
        }
      : null,
    history,
    /** The champion's live reading of the stored fields: prediction, reasons, actions, next-best action. */
    insight,
    /** Why there is no live explanation (no champion, data the champion cannot read), in words. */
    insightProblem,
  };
}

export type CustomerDetail = Awaited<ReturnType<typeof getCustomerDetail>>;

async function explainLive(
  db: Database,
  datasetId: number,
  features: Record<string, string | number | null>,
): Promise<{
  insight: CustomerInsight | null;
  champion: {
    modelId: number;
    version: number;
    algorithm: string;
    threshold: number;
    bands: { medium: number; high: number };
  } | null;
  insightProblem: string | null;
}> {
  let predictor: Awaited<ReturnType<typeof loadPredictor>>;
  try {
    predictor = await loadPredictor(db, datasetId);
  } catch (error) {
    if (error instanceof NoChampionError)
      return { insight: null, champion: null, insightProblem: "This dataset has no champion model yet." };
    throw error;
  }
  const { modelId, version, algorithm, threshold } = predictor.model;
  const champion = { modelId, version, algorithm, threshold, bands: { ...predictor.bands } };
  // Only the champion's inputs: the stored row also holds the identifier, the target and columns
  // of other file versions, which the predictor would report as ignored or unknown.
  // Null prototype: a `{}` would drop a column called "__proto__" (lib/column-record.ts).
  const record = columnRecord<string | number | null>();
  for (const input of predictor.inputs)
    record[input.name] = Object.hasOwn(features, input.name) ? features[input.name] : null;
  try {
    const insight = await buildCustomerInsight(db, predictor, record, { strict: false });
    return { insight, champion, insightProblem: null };
  } catch (error) {
    if (error instanceof PredictionInputError)
      return {
        insight: null,
        champion,
        insightProblem: `The champion cannot read this customer: ${error.message}`,
      };
    throw error;
  }
}
