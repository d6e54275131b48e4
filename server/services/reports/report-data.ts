/**
 * Everything the executive PDF shows, gathered from the services the pages use (so the report and
 * the app agree), as plain JSON: it is the result of the job's first step, stored between steps.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { expectedCalibrationError } from "@/lib/analytics/calibration-band";
import { modelQuality } from "@/lib/analytics/model-quality";
import type { Database } from "../../db/client";
import { customers, reports, scores, users } from "../../db/schema";
import { NonRetriableError } from "../../durable/contract";
import { analyticsOverview } from "../analytics/overview";
import { analyseRetention } from "../analytics/retention";
import { num, rowsOf } from "../analytics/rows";
import { resolveAnalyticsScope } from "../analytics/scope";
import { exploreSegments } from "../analytics/segments";
import { getCampaign } from "../campaigns/saved";
import { targetDetails } from "../campaigns/targets";
import { customerStatusCondition } from "../customers/status";
import { getPlaybook } from "../retention";

export const TOP_CUSTOMERS = 20;
const CAMPAIGN_TARGETS_SHOWN = 15;

export interface ReportData {
  title: string;
  dataset: { id: number; name: string; version: number; rowCount: number };
  generatedAt: string;
  generatedBy: string;
  currency: string;
  kpis: {
    active: number;
    lost: number;
    observedChurnRate: number | null;
    highRisk: number;
    meanRisk: number | null;
    revenueAtRisk: number | null;
    medianLifetime: number | null;
    lifetimeUnit: string | null;
  };
  /** Active customers per 10-point risk band (index 0 = 0–10 %). */
  riskDistribution: number[];
  riskBands: { medium: number; high: number } | null;
  segment: {
    column: string;
    rows: { label: string; active: number; observedChurnRate: number | null; meanRisk: number | null }[];
  } | null;
  topCustomers: {
    externalId: string;
    riskScore: number;
    monthlyValue: number | null;
    reason: string;
    action: string | null;
  }[];
  campaign: {
    name: string;
    targetCount: number;
    eligible: number;
    cost: number;
    savedValue: number;
    profit: number;
    savedLower: number | null;
    savedUpper: number | null;
    profitLower: number | null;
    profitUpper: number | null;
    offerCost: number;
    acceptanceRate: number;
    valueNote: string;
    targets: { rank: number; externalId: string; riskScore: number; action: string | null }[];
  } | null;
  model: {
    version: number;
    algorithm: string;
    trainedAt: string;
    testAuc: number;
    f1Churn: number;
    f1Weighted: number;
    cvAuc: number;
    brier: number;
    threshold: number;
    trainingRows: number;
    testRows: number;
    calibrationError: number | null;
    quality: string;
    topDrivers: string[];
  };
}

export async function collectReportData(db: Database, reportId: number): Promise<ReportData> {
  const [report] = await db
    .select({
      id: reports.id,
      title: reports.title,
      datasetId: reports.datasetId,
      campaignId: reports.campaignId,
      createdAt: reports.createdAt,
      createdBy: users.name,
    })
    .from(reports)
    .leftJoin(users, eq(users.id, reports.createdById))
    .where(eq(reports.id, reportId));
  if (!report)
    throw new NonRetriableError(`Report ${reportId} does not exist (its dataset may have been deleted)`);
  const scope = await resolveAnalyticsScope(db, report.datasetId);
  const champion = scope.champion;
  if (!champion || !scope.version) {
    throw new NonRetriableError(
      `${scope.dataset.name} has no champion model: train models before making a report.`,
    );
  }
  const overview = await analyticsOverview(db, report.datasetId);
  // The champion's most important grouping column (categorical first); it also gives the totals.
  const segmentColumn = overview.suggestedColumns[0] ?? scope.segmentColumns[0]?.name ?? null;
  const [segment, retention, distribution, top, campaign, bands] = await Promise.all([
    segmentColumn ? exploreSegments(db, { datasetId: report.datasetId, columns: [segmentColumn] }) : null,
    scope.duration.detected ? analyseRetention(db, { datasetId: report.datasetId }) : null,
    riskDistribution(db, champion.id, scope.version.id),
    topAtRisk(db, champion.id, scope.version.id),
    report.campaignId
      ? getCampaign(db, { campaignId: report.campaignId, pageSize: CAMPAIGN_TARGETS_SHOWN }).catch(() => null)
      : null,
    import("../settings").then((s) => s.getRiskBands(db)),
  ]);
  const t = segment?.totals ?? null;
  const test = champion.metrics?.test;
  return {
    title: report.title,
    dataset: {
      id: scope.dataset.id,
      name: scope.dataset.name,
      version: scope.version.version,
      rowCount: scope.version.rowCount,
    },
    generatedAt: report.createdAt.toISOString(),
    generatedBy: report.createdBy ?? "a former user",
    currency: overview.currency,
    kpis: {
      active: t?.active ?? 0,
      lost: t?.lost ?? 0,
      observedChurnRate: t?.observedChurnRate ?? null,
      highRisk: t?.highRisk ?? 0,
      meanRisk: t?.meanRisk ?? null,
      revenueAtRisk: t?.revenueAtRisk ?? null,
      medianLifetime: retention?.overall?.medianLifetime ?? null,
      lifetimeUnit: retention?.unit ?? null,
    },
    riskDistribution: distribution,
    riskBands: bands,
    segment:
      segment && segmentColumn
        ? {
            column: segmentColumn,
            rows: segment.rows.slice(0, 8).map((r) => ({
              label: r.key[0].label,
              active: r.active,
              observedChurnRate: r.observedChurnRate,
              meanRisk: r.meanRisk,
            })),
          }
        : null,
    topCustomers: top,
    campaign: campaign
      ? {
          name: campaign.name,
          targetCount: campaign.targetCount,
          eligible: campaign.summary.eligible,
          cost: campaign.summary.cost,
          savedValue: campaign.summary.savedValue,
          profit: campaign.summary.profit,
          savedLower: campaign.summary.savedLower,
          savedUpper: campaign.summary.savedUpper,
          profitLower: campaign.summary.profitLower,
          profitUpper: campaign.summary.profitUpper,
          offerCost: campaign.inputs.offerCost,
          acceptanceRate: campaign.inputs.acceptanceRate,
          valueNote: campaign.summary.valueNote,
          targets: campaign.targets.map((x) => ({
            rank: x.rank,
            externalId: x.externalId,
            riskScore: x.riskScore,
            action: x.action,
          })),
        }
      : null,
    model: {
      version: champion.version,
      algorithm: champion.algorithm,
      trainedAt: champion.trainedAt.toISOString(),
      testAuc: test?.rocAuc ?? champion.cvAuc,
      f1Churn: champion.f1Churn,
      f1Weighted: champion.f1Weighted,
      cvAuc: champion.cvAuc,
      brier: champion.brier,
      threshold: champion.threshold,
      trainingRows: champion.metrics?.trainingRows ?? 0,
      testRows: champion.metrics?.testRows ?? 0,
      calibrationError: expectedCalibrationError(champion.curves?.test?.calibration ?? []),
      quality: modelQuality(test?.rocAuc ?? champion.cvAuc, champion.curves?.test?.lift).sentence,
      topDrivers: champion.importance.slice(0, 5).map((i) => i.column),
    },
  };
}

/** Active customers per 10-point risk band, in SQL (width_bucket over the champion's scores). */
async function riskDistribution(db: Database, modelId: number, versionId: number): Promise<number[]> {
  const rows = rowsOf<{ bucket: unknown; n: unknown }>(
    await db.execute(sql`
      select least(width_bucket(${scores.riskScore}, 0, 1, 10), 10) as bucket, count(*)::int as n
      from ${scores} inner join ${customers} on ${customers.id} = ${scores.customerId}
      where ${scores.modelId} = ${modelId} and ${customers.datasetVersionId} = ${versionId} and ${customerStatusCondition("active")}
      group by 1`),
  );
  const counts = new Array<number>(10).fill(0);
  for (const r of rows) counts[Math.max(1, Math.min(10, num(r.bucket))) - 1] += num(r.n);
  return counts;
}

async function topAtRisk(
  db: Database,
  modelId: number,
  versionId: number,
): Promise<ReportData["topCustomers"]> {
  const rows = await db
    .select({ id: customers.id, risk: scores.riskScore, monthly: customers.monthlyValue })
    .from(scores)
    .innerJoin(customers, eq(customers.id, scores.customerId))
    .where(
      and(
        eq(scores.modelId, modelId),
        eq(customers.datasetVersionId, versionId),
        customerStatusCondition("active"),
      ),
    )
    .orderBy(desc(scores.riskScore), customers.id)
    .limit(TOP_CUSTOMERS);
  const details = await targetDetails(
    db,
    modelId,
    rows.map((r) => Number(r.id)),
    await getPlaybook(db),
  );
  return details.map((d, i) => ({
    externalId: d.externalId,
    riskScore: rows[i].risk,
    monthlyValue: rows[i].monthly,
    reason: d.reason,
    action: d.action,
  }));
}
