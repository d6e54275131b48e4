/**
 * The `drift-check` durable function's work: the champion's training version is the reference
 * (binned at its quantiles / levels, its predicted risk from the champion itself), the compared
 * version is read from the customers table and a scored file is streamed from storage in parts,
 * both counted into the reference's bins; then PSI per column weighted by the champion's
 * importance, the risk's PSI and the churn-rate change (lib/drift), stored on the report. An
 * important column past PSI 0.2 writes one audit entry per report ("drift.alert"), in the same
 * transaction as the result.
 *
 * Idempotent: a retried step recomputes from the same immutable inputs and overwrites the result.
 */
import { and, eq, inArray } from "drizzle-orm";
import { recordOfRow } from "@/lib/column-record";
import {
  buildDriftReference,
  DriftAccumulator,
  type DriftFeature,
  type DriftSummary,
  type DriftTable,
  importanceShares,
  summarizeDrift,
} from "@/lib/drift";
import type { ChurnModel } from "@/lib/ml";
import { featureColumns, readCsvBatches } from "@/lib/ml/data";
import type { Database } from "../../db/client";
import { driftReports, models, scoreBatches } from "../../db/schema";
import { NonRetriableError } from "../../durable/contract";
import { FileNotFoundError, type FileStorage, getStorage } from "../../storage";
import { recordAudit, SYSTEM_ACTOR } from "../audit";
import { loadDatasetVersionRows } from "../datasets";
import { loadModelArtifact } from "../models";

/** Rows per predict call and per part of a streamed file: bounds memory, lets requests through. */
const PART_ROWS = 2_000;

async function activeReport(db: Database, reportId: number) {
  const [report] = await db.select().from(driftReports).where(eq(driftReports.id, reportId));
  if (!report) {
    throw new NonRetriableError(`Drift report ${reportId} does not exist (its dataset or model was deleted)`);
  }
  return report;
}

/** The champion's predicted risk for rows of raw cells, in parts. */
async function predictRisk(model: ChurnModel, table: DriftTable): Promise<Float64Array> {
  const risk = new Float64Array(table.rows.length);
  for (let start = 0; start < table.rows.length; start += PART_ROWS) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const records = table.rows.slice(start, start + PART_ROWS).map((row) => recordOfRow(table.columns, row));
    model.predict(records).forEach((p, i) => {
      risk[start + i] = p.riskScore;
    });
  }
  return risk;
}

/**
 * The model's input columns: numeric ones in quantile bins, the rest by level. Date columns are
 * left out: the model reads them as days before the training file's latest date (recency); their raw
 * text, binned by level, would show every new file's dates as new values, a drift alarm each time.
 */
export function driftFeaturesOf(model: ChurnModel): DriftFeature[] {
  return featureColumns(model.schema)
    .filter((c) => c.type !== "date")
    .map((c) => ({
      name: c.name,
      kind: c.type === "numeric" ? "numeric" : "categorical",
      decimalComma: c.decimalComma,
    }));
}

/** Step `compute`: the report's result, stored; returns a short summary for the job log. */
export async function runDriftCheckStep(
  db: Database,
  reportId: number,
  storage: FileStorage = getStorage(),
): Promise<{ level: string; rows: number; alertColumns: string[] }> {
  const report = await activeReport(db, reportId);
  await db
    .update(driftReports)
    .set({ status: "running" })
    .where(and(eq(driftReports.id, reportId), inArray(driftReports.status, ["queued", "running"])));
  const [modelRow] = await db.select().from(models).where(eq(models.id, report.modelId));
  if (!modelRow) throw new NonRetriableError(`Model ${report.modelId} no longer exists`);
  const model = await loadModelArtifact(modelRow.id, modelRow.artifactKey, modelRow.artifactSha256, storage);
  const features = driftFeaturesOf(model);

  const baseline = await loadDatasetVersionRows(db, report.baselineVersionId);
  const reference = buildDriftReference(baseline, features, {
    risk: await predictRisk(model, baseline),
    labels: baseline.labels,
  });
  const current = new DriftAccumulator(reference);
  if (report.sourceKind === "version" && report.datasetVersionId !== null) {
    const rows = await loadDatasetVersionRows(db, report.datasetVersionId);
    current.add(rows, { risk: await predictRisk(model, rows), labels: rows.labels });
  } else if (report.sourceKind === "batch" && report.batchId !== null) {
    const [batch] = await db.select().from(scoreBatches).where(eq(scoreBatches.id, report.batchId));
    if (!batch) throw new NonRetriableError(`Scored file ${report.batchId} no longer exists`);
    try {
      for await (const part of readCsvBatches(storage.get(batch.storageKey), {
        batchSize: PART_ROWS,
        maxBytes: Number.POSITIVE_INFINITY,
      })) {
        const table = { columns: part.columns, rows: part.rows };
        current.add(table, { risk: await predictRisk(model, table) });
      }
    } catch (error) {
      if (error instanceof FileNotFoundError) {
        throw new NonRetriableError(
          `The scored file “${batch.fileName}” is no longer stored; score it again.`,
        );
      }
      throw error;
    }
  } else {
    throw new NonRetriableError(`Drift report ${reportId} names no data to compare`);
  }

  const shares = importanceShares(
    features.map((f) => f.name),
    modelRow.importance,
    model.pipeline.sourceColumns,
  );
  const summary: DriftSummary = summarizeDrift(reference, current, shares);
  await db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const [updated] = await t
      .update(driftReports)
      .set({
        status: "succeeded",
        level: summary.level,
        weightedPsi: summary.weightedPsi,
        riskPsi: summary.risk?.psi ?? null,
        rows: summary.rows,
        result: { ...summary },
        error: null,
        finishedAt: new Date(),
      })
      .where(eq(driftReports.id, reportId))
      .returning({ alertedAt: driftReports.alertedAt });
    if (updated && summary.alertColumns.length > 0 && updated.alertedAt === null) {
      await t.update(driftReports).set({ alertedAt: new Date() }).where(eq(driftReports.id, reportId));
      const psiOf = new Map(summary.columns.map((c) => [c.column, c.psi]));
      await recordAudit(t, SYSTEM_ACTOR, {
        action: "drift.alert",
        targetType: "dataset",
        targetId: report.datasetId,
        details: {
          reportId,
          modelId: report.modelId,
          source:
            report.sourceKind === "version"
              ? { kind: "version", datasetVersionId: report.datasetVersionId }
              : { kind: "batch", batchId: report.batchId },
          columns: summary.alertColumns.map((column) => ({ column, psi: psiOf.get(column) ?? null })),
        },
      });
    }
  });
  return { level: summary.level, rows: summary.rows, alertColumns: summary.alertColumns };
}

/** The job failed for good: the report says so in words, never stays "checking". */
export async function failDriftCheck(db: Database, reportId: number, error: Error): Promise<void> {
  const line = (error.message || String(error)).split("\n")[0].trim().slice(0, 400);
  await db
    .update(driftReports)
    .set({
      status: "failed",
      error: `The drift check failed: ${line || "unknown error"}`,
      finishedAt: new Date(),
    })
    .where(and(eq(driftReports.id, reportId), inArray(driftReports.status, ["queued", "running"])));
}
