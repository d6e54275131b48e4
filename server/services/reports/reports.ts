/**
 * Reports as people manage them: request one (a queued row, audited, and the event that starts the
 * durable generate-report function), follow it, list them, download the file (audited). The job's
 * steps are below: collect the numbers, render and store the PDF; onFailure records the error.
 */
import { TRPCError } from "@trpc/server";
import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import { campaigns, datasets, models, reports, users } from "../../db/schema";
import { NonRetriableError } from "../../durable/contract";
import { startDurableWork } from "../../durable/port";
import { logger } from "../../log";
import { channels, getPublisher } from "../../realtime";
import { type FileStorage, getStorage } from "../../storage";
import { type Actor, recordAudit } from "../audit";
import { renderReportPdf } from "./render-pdf";
import { collectReportData, type ReportData } from "./report-data";

export const REPORT_REQUESTED_EVENT = "churnguard/report.requested";
export const REPORT_PROGRESS_EVENT = "report-progress";

/** The one place reports reach the job system. */
async function dispatchReportJob(db: Database, reportId: number): Promise<string | null> {
  const [jobId] = await startDurableWork(db, REPORT_REQUESTED_EVENT, { reportId });
  return jobId ?? null;
}

export const requestReportSchema = z.object({
  datasetId: z.number().int().positive(),
  campaignId: z.number().int().positive().nullable().default(null),
  title: z.string().trim().min(1).max(120).default("Churn risk report"),
});

export async function requestReport(db: Database, actor: Actor, input: z.input<typeof requestReportSchema>) {
  const { datasetId, campaignId, title } = requestReportSchema.parse(input);
  const [dataset] = await db
    .select({ id: datasets.id, name: datasets.name, championId: models.id })
    .from(datasets)
    .leftJoin(models, and(eq(models.datasetId, datasets.id), eq(models.status, "champion")))
    .where(eq(datasets.id, datasetId));
  if (!dataset) throw new TRPCError({ code: "NOT_FOUND", message: `Dataset ${datasetId} does not exist.` });
  if (dataset.championId === null) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `${dataset.name} has no champion model yet: train models before making a report.`,
    });
  }
  if (campaignId !== null) {
    const [campaign] = await db
      .select({ datasetId: campaigns.datasetId })
      .from(campaigns)
      .where(eq(campaigns.id, campaignId));
    if (!campaign || campaign.datasetId !== datasetId) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "Choose a campaign plan of this dataset." });
    }
  }
  const report = await db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const [row] = await t
      .insert(reports)
      .values({ datasetId, campaignId, title, createdById: actor.id })
      .returning();
    await recordAudit(t, actor, {
      action: "report.generate",
      targetType: "report",
      targetId: row.id,
      details: { datasetId, campaignId, title },
    });
    return row;
  });
  // After the commit: under Inngest the event leaves at once and must find the row.
  let jobId: string | null;
  try {
    jobId = await dispatchReportJob(db, report.id);
  } catch (error) {
    // A report no job will ever make must not wait forever in the list.
    await failReport(db, report.id, error instanceof Error ? error : new Error(String(error)), false);
    throw error;
  }
  if (jobId) await db.update(reports).set({ jobId }).where(eq(reports.id, report.id));
  return { id: report.id, status: report.status };
}

async function publishProgress(datasetId: number, reportId: number, status: string, progress: number) {
  try {
    await getPublisher().publish(channels.dataset(datasetId), REPORT_PROGRESS_EVENT, {
      reportId,
      status,
      progress,
    });
  } catch (error) {
    logger("reports").warn({ err: error }, `could not publish progress of report ${reportId}`);
  }
}

async function activeReport(db: Database, reportId: number) {
  const [report] = await db.select().from(reports).where(eq(reports.id, reportId));
  if (!report)
    throw new NonRetriableError(`Report ${reportId} does not exist (its dataset may have been deleted)`);
  return report;
}

/** Step `collect`: every number of the report, as JSON for the next step. */
export async function collectReportStep(db: Database, reportId: number): Promise<ReportData> {
  const report = await activeReport(db, reportId);
  await db.update(reports).set({ status: "running", progress: 0.1 }).where(eq(reports.id, reportId));
  await publishProgress(report.datasetId, reportId, "running", 0.1);
  const data = await collectReportData(db, reportId);
  await db.update(reports).set({ progress: 0.5 }).where(eq(reports.id, reportId));
  await publishProgress(report.datasetId, reportId, "running", 0.5);
  return data;
}

export const reportStorageKey = (reportId: number) => `reports/${reportId}/report.pdf`;

/** Step `render`: the PDF, written to storage (a retry overwrites the same key), and the row finished. */
export async function renderReportStep(
  db: Database,
  reportId: number,
  data: ReportData,
  storage: FileStorage = getStorage(),
): Promise<{ sizeBytes: number; pageCount: number }> {
  const report = await activeReport(db, reportId);
  const { bytes, pageCount } = await renderReportPdf(data);
  const key = reportStorageKey(reportId);
  const { sizeBytes } = await storage.put(key, bytes);
  await db
    .update(reports)
    .set({
      status: "succeeded",
      progress: 1,
      storageKey: key,
      sizeBytes,
      pageCount,
      finishedAt: new Date(),
      error: null,
    })
    .where(eq(reports.id, reportId));
  await publishProgress(report.datasetId, reportId, "succeeded", 1);
  return { sizeBytes, pageCount };
}

export async function failReport(db: Database, reportId: number, error: Error, isCancelled: boolean) {
  const [report] = await db
    .update(reports)
    .set({
      status: isCancelled ? "cancelled" : "failed",
      error: isCancelled ? "Cancelled" : error.message.slice(0, 500),
      finishedAt: new Date(),
    })
    .where(and(eq(reports.id, reportId), inArray(reports.status, ["queued", "running"])))
    .returning();
  if (report) await publishProgress(report.datasetId, reportId, report.status, report.progress);
}

export const listReportsSchema = z.object({ datasetId: z.number().int().positive().optional() });

const reportColumns = {
  id: reports.id,
  title: reports.title,
  datasetId: reports.datasetId,
  datasetName: datasets.name,
  campaignId: reports.campaignId,
  campaignName: campaigns.name,
  status: reports.status,
  progress: reports.progress,
  sizeBytes: reports.sizeBytes,
  pageCount: reports.pageCount,
  error: reports.error,
  createdAt: reports.createdAt,
  finishedAt: reports.finishedAt,
  createdBy: users.name,
};

export async function listReports(db: Database, input: z.input<typeof listReportsSchema> = {}) {
  const { datasetId } = listReportsSchema.parse(input);
  return db
    .select(reportColumns)
    .from(reports)
    .innerJoin(datasets, eq(datasets.id, reports.datasetId))
    .leftJoin(campaigns, eq(campaigns.id, reports.campaignId))
    .leftJoin(users, eq(users.id, reports.createdById))
    .where(datasetId === undefined ? undefined : eq(reports.datasetId, datasetId))
    .orderBy(desc(reports.createdAt), desc(reports.id))
    .limit(100);
}

export async function getReport(db: Database, reportId: number) {
  const [report] = await db
    .select(reportColumns)
    .from(reports)
    .innerJoin(datasets, eq(datasets.id, reports.datasetId))
    .leftJoin(campaigns, eq(campaigns.id, reports.campaignId))
    .leftJoin(users, eq(users.id, reports.createdById))
    .where(eq(reports.id, reportId));
  if (!report) throw new TRPCError({ code: "NOT_FOUND", message: `Report ${reportId} does not exist.` });
  return report;
}

export class ReportNotReadyError extends Error {}

/** The finished PDF for download, audited; NOT_FOUND or ReportNotReadyError otherwise. */
export async function openReportDownload(
  db: Database,
  actor: Actor,
  reportId: number,
  storage: FileStorage = getStorage(),
): Promise<{
  fileName: string;
  sizeBytes: number | null;
  storageKey: string;
  body: AsyncIterable<Uint8Array>;
}> {
  const [report] = await db
    .select({
      id: reports.id,
      status: reports.status,
      storageKey: reports.storageKey,
      sizeBytes: reports.sizeBytes,
      datasetName: datasets.name,
      createdAt: reports.createdAt,
    })
    .from(reports)
    .innerJoin(datasets, eq(datasets.id, reports.datasetId))
    .where(eq(reports.id, reportId));
  if (!report) throw new TRPCError({ code: "NOT_FOUND", message: `Report ${reportId} does not exist.` });
  if (report.status !== "succeeded" || !report.storageKey) {
    throw new ReportNotReadyError(
      report.status === "queued" || report.status === "running"
        ? "This report is still being generated; download it when it has finished."
        : "This report could not be generated: there is nothing to download.",
    );
  }
  await recordAudit(db, actor, { action: "report.download", targetType: "report", targetId: reportId });
  const safe =
    report.datasetName
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "dataset";
  const day = report.createdAt.toISOString().slice(0, 10);
  return {
    fileName: `churnguard-${safe}-${day}.pdf`,
    sizeBytes: report.sizeBytes,
    storageKey: report.storageKey,
    body: storage.get(report.storageKey),
  };
}
