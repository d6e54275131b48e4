/**
 * Reading drift reports: a dataset's overview (its champion and the reports against it, newest
 * first), one report with its columns and histograms, and the alerts the dashboard shows (an
 * important column past PSI 0.2 in the latest report of a current champion).
 */
import { TRPCError } from "@trpc/server";
import { and, desc, eq, gt, isNotNull, sql } from "drizzle-orm";
import type { DriftSummary } from "@/lib/drift";
import type { Database } from "../../db/client";
import { datasets, datasetVersions, driftReports, models, scoreBatches } from "../../db/schema";
import { championBaseline } from "./requests";

export interface DriftSourceView {
  kind: "version" | "batch";
  /** "Version 3" or the scored file's name. */
  label: string;
  datasetVersionId: number | null;
  version: number | null;
  batchId: number | null;
}

export interface DriftReportRow {
  id: number;
  source: DriftSourceView;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  trigger: string;
  level: "stable" | "moderate" | "significant" | null;
  weightedPsi: number | null;
  riskPsi: number | null;
  rows: number | null;
  alertColumns: string[];
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

const reportColumns = {
  id: driftReports.id,
  sourceKind: driftReports.sourceKind,
  datasetVersionId: driftReports.datasetVersionId,
  batchId: driftReports.batchId,
  version: datasetVersions.version,
  fileName: scoreBatches.fileName,
  status: driftReports.status,
  trigger: driftReports.trigger,
  level: driftReports.level,
  weightedPsi: driftReports.weightedPsi,
  riskPsi: driftReports.riskPsi,
  rows: driftReports.rows,
  alertColumns: sql<string[] | null>`${driftReports.result} -> 'alertColumns'`,
  error: driftReports.error,
  createdAt: driftReports.createdAt,
  finishedAt: driftReports.finishedAt,
};

type ReportSelect = {
  id: number;
  sourceKind: string;
  datasetVersionId: number | null;
  batchId: number | null;
  version: number | null;
  fileName: string | null;
  status: DriftReportRow["status"];
  trigger: string;
  level: string | null;
  weightedPsi: number | null;
  riskPsi: number | null;
  rows: number | null;
  alertColumns: string[] | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

function toRow(r: ReportSelect): DriftReportRow {
  const isVersion = r.sourceKind === "version";
  return {
    id: r.id,
    source: {
      kind: isVersion ? "version" : "batch",
      label: isVersion ? `Version ${r.version ?? "?"}` : (r.fileName ?? "Scored file"),
      datasetVersionId: r.datasetVersionId,
      version: r.version,
      batchId: r.batchId,
    },
    status: r.status,
    trigger: r.trigger,
    level: (r.level as DriftReportRow["level"]) ?? null,
    weightedPsi: r.weightedPsi,
    riskPsi: r.riskPsi,
    rows: r.rows,
    alertColumns: Array.isArray(r.alertColumns) ? r.alertColumns : [],
    error: r.error,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  };
}

function selectReports(db: Database) {
  return db
    .select(reportColumns)
    .from(driftReports)
    .leftJoin(datasetVersions, eq(datasetVersions.id, driftReports.datasetVersionId))
    .leftJoin(scoreBatches, eq(scoreBatches.id, driftReports.batchId));
}

export async function getDriftOverview(db: Database, datasetId: number) {
  const [dataset] = await db
    .select({ id: datasets.id, name: datasets.name })
    .from(datasets)
    .where(eq(datasets.id, datasetId));
  if (!dataset) throw new TRPCError({ code: "NOT_FOUND", message: `Dataset ${datasetId} does not exist.` });
  const champion = await championBaseline(db, datasetId);
  if (!champion) return { dataset, champion: null, reports: [], newerVersions: 0, scoredFiles: 0 };
  const rows = await selectReports(db)
    .where(eq(driftReports.modelId, champion.modelId))
    .orderBy(desc(driftReports.createdAt), desc(driftReports.id));
  const [{ newerVersions }] = await db
    .select({ newerVersions: sql<number>`count(*)::int` })
    .from(datasetVersions)
    .where(
      and(eq(datasetVersions.datasetId, datasetId), gt(datasetVersions.version, champion.baselineVersion)),
    );
  const [{ scoredFiles }] = await db
    .select({ scoredFiles: sql<number>`count(*)::int` })
    .from(scoreBatches)
    .where(and(eq(scoreBatches.datasetId, datasetId), eq(scoreBatches.status, "succeeded")));
  return {
    dataset,
    champion,
    reports: rows.map(toRow),
    newerVersions: Number(newerVersions),
    scoredFiles: Number(scoredFiles),
  };
}

export type DriftOverview = Awaited<ReturnType<typeof getDriftOverview>>;

export async function getDriftReport(db: Database, reportId: number) {
  const [row] = await selectReports(db).where(eq(driftReports.id, reportId));
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Drift report ${reportId} does not exist.` });
  const [extra] = await db
    .select({
      datasetId: driftReports.datasetId,
      modelId: driftReports.modelId,
      modelVersion: models.version,
      algorithm: models.algorithm,
      baselineVersion: datasetVersions.version,
      result: driftReports.result,
    })
    .from(driftReports)
    .innerJoin(models, eq(models.id, driftReports.modelId))
    .innerJoin(datasetVersions, eq(datasetVersions.id, driftReports.baselineVersionId))
    .where(eq(driftReports.id, reportId));
  return {
    ...toRow(row),
    datasetId: extra.datasetId,
    model: { id: extra.modelId, version: extra.modelVersion, algorithm: extra.algorithm },
    baselineVersion: extra.baselineVersion,
    result: row.status === "succeeded" ? ((extra.result as unknown as DriftSummary | null) ?? null) : null,
  };
}

export type DriftReportDetail = Awaited<ReturnType<typeof getDriftReport>>;

export interface DriftAlert {
  datasetId: number;
  datasetName: string;
  /** The most recent report with an alert. */
  reportId: number;
  /** What the alerting reports compared ("version 3", "the scored file march.csv"), newest first. */
  sources: string[];
  /** Important columns past PSI 0.2 in any of them, without repeats. */
  columns: string[];
  finishedAt: Date | null;
}

/**
 * Per dataset, the current champion's finished reports that raised an alert (an important column
 * past PSI 0.2). They stay until the champion changes: a retrained model on the new data is the
 * answer to drift, and a calm later file does not make the shifted one fit.
 */
export async function listDriftAlerts(db: Database): Promise<DriftAlert[]> {
  const rows = await db
    .select({
      datasetId: driftReports.datasetId,
      datasetName: datasets.name,
      reportId: driftReports.id,
      sourceKind: driftReports.sourceKind,
      version: datasetVersions.version,
      fileName: scoreBatches.fileName,
      alertColumns: sql<string[] | null>`${driftReports.result} -> 'alertColumns'`,
      finishedAt: driftReports.finishedAt,
    })
    .from(driftReports)
    .innerJoin(models, and(eq(models.id, driftReports.modelId), eq(models.status, "champion")))
    .innerJoin(datasets, eq(datasets.id, driftReports.datasetId))
    .leftJoin(datasetVersions, eq(datasetVersions.id, driftReports.datasetVersionId))
    .leftJoin(scoreBatches, eq(scoreBatches.id, driftReports.batchId))
    .where(and(eq(driftReports.status, "succeeded"), isNotNull(driftReports.alertedAt)))
    .orderBy(desc(driftReports.finishedAt), desc(driftReports.id));
  const byDataset = new Map<number, DriftAlert>();
  for (const r of rows) {
    const columns = Array.isArray(r.alertColumns) ? r.alertColumns : [];
    if (columns.length === 0) continue;
    const source = r.sourceKind === "version" ? `version ${r.version}` : `the scored file ${r.fileName}`;
    const alert = byDataset.get(r.datasetId);
    if (!alert) {
      byDataset.set(r.datasetId, {
        datasetId: r.datasetId,
        datasetName: r.datasetName,
        reportId: r.reportId,
        sources: [source],
        columns: [...columns],
        finishedAt: r.finishedAt,
      });
      continue;
    }
    alert.sources.push(source);
    for (const c of columns) if (!alert.columns.includes(c)) alert.columns.push(c);
  }
  return [...byDataset.values()];
}
