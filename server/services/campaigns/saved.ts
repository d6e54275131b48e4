/**
 * Saved plans: the inputs, the numbers shown, and the frozen target list as rows (rank, risk,
 * value, reason, recommended action), written in one transaction with its audit entry. Targets are
 * rows so the retention-outcomes work can attach an outcome to each.
 */
import { TRPCError } from "@trpc/server";
import { asc, count, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import { campaigns, campaignTargets, datasets, models, users } from "../../db/schema";
import { type Actor, recordAudit } from "../audit";
import { csvLine } from "../batch-scoring/csv-out";
import { getPlaybook } from "../retention";
import { type CampaignInputs, saveCampaignSchema } from "./inputs";
import { computeCampaignPlan } from "./plan";
import { targetDetails } from "./targets";

/** Targets written per INSERT (one JSON parameter each). */
const INSERT_CHUNK = 2_000;

export interface CampaignSummary {
  eligible: number;
  contacted: number;
  bestContacted: number;
  cost: number;
  expectedChurners: number;
  savedValue: number;
  profit: number;
  savedLower: number | null;
  savedUpper: number | null;
  profitLower: number | null;
  profitUpper: number | null;
  minRisk: number | null;
  currency: string;
  championVersion: number;
  valueNote: string;
  calibrationError: number | null;
}

export async function saveCampaign(db: Database, actor: Actor, input: z.input<typeof saveCampaignSchema>) {
  const { name, inputs } = saveCampaignSchema.parse(input);
  // Recomputed here from the stored scores: the saved numbers never come from the browser.
  const computed = await computeCampaignPlan(db, inputs);
  const { view, plan, customerIds, risks, values } = computed;
  const chosen = view.chosen;
  const order = [...plan.order.slice(0, chosen.contacted)];
  const playbook = await getPlaybook(db);
  const details = await targetDetails(
    db,
    view.championId,
    order.map((i) => customerIds[i]),
    playbook,
  );
  const detailById = new Map(details.map((d) => [d.customerId, d]));
  const summary: CampaignSummary = {
    eligible: view.eligible,
    contacted: chosen.contacted,
    bestContacted: view.best.contacted,
    cost: chosen.cost,
    expectedChurners: chosen.expectedChurners,
    savedValue: chosen.savedValue,
    profit: chosen.profit,
    savedLower: chosen.savedLower ?? null,
    savedUpper: chosen.savedUpper ?? null,
    profitLower: chosen.profitLower ?? null,
    profitUpper: chosen.profitUpper ?? null,
    minRisk: chosen.minRisk,
    currency: view.currency,
    championVersion: view.championVersion,
    valueNote: view.valueNote,
    calibrationError: view.calibrationError,
  };
  const scope = await db
    .select({ datasetVersionId: models.datasetVersionId })
    .from(models)
    .where(eq(models.id, view.championId));
  return db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const [campaign] = await t
      .insert(campaigns)
      .values({
        datasetId: view.datasetId,
        datasetVersionId: scope[0].datasetVersionId,
        modelId: view.championId,
        name,
        inputs: view.inputs as unknown as Record<string, unknown>,
        summary: summary as unknown as Record<string, unknown>,
        targetCount: order.length,
        createdById: actor.id,
      })
      .returning();
    for (let start = 0; start < order.length; start += INSERT_CHUNK) {
      const chunk = order.slice(start, start + INSERT_CHUNK).flatMap((i, k) => {
        const detail = detailById.get(customerIds[i]);
        if (!detail) return [];
        return [
          {
            c: campaign.id,
            u: customerIds[i],
            k: start + k + 1,
            e: detail.externalId,
            s: risks[i],
            l: detail.riskLevel,
            v: values[i],
            x: risks[i] * values[i] * view.inputs.acceptanceRate,
            d: detail.drivers,
            r: detail.reason,
            a: detail.action,
          },
        ];
      });
      await t.execute(sql`
        insert into ${campaignTargets} (campaign_id, customer_id, rank, external_id, risk_score, risk_level,
          customer_value, expected_saved_value, drivers, reason, action)
        select r.c, r.u, r.k, r.e, r.s, r.l, r.v, r.x, r.d, r.r, r.a
        from json_to_recordset(${JSON.stringify(chunk)}::json)
          as r(c integer, u bigint, k integer, e text, s real, l text, v real, x real, d jsonb, r text, a text)`);
    }
    await recordAudit(t, actor, {
      action: "campaign.create",
      targetType: "campaign",
      targetId: campaign.id,
      details: { name, datasetId: view.datasetId, targets: order.length, profit: Math.round(chosen.profit) },
    });
    return { id: campaign.id, name: campaign.name, targetCount: order.length, summary };
  });
}

export const listCampaignsSchema = z.object({ datasetId: z.number().int().positive().optional() });

export async function listCampaigns(db: Database, input: z.input<typeof listCampaignsSchema> = {}) {
  const { datasetId } = listCampaignsSchema.parse(input);
  const rows = await db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      datasetId: campaigns.datasetId,
      datasetName: datasets.name,
      targetCount: campaigns.targetCount,
      summary: campaigns.summary,
      createdAt: campaigns.createdAt,
      createdBy: users.name,
    })
    .from(campaigns)
    .innerJoin(datasets, eq(datasets.id, campaigns.datasetId))
    .leftJoin(users, eq(users.id, campaigns.createdById))
    .where(datasetId === undefined ? undefined : eq(campaigns.datasetId, datasetId))
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(200);
  return rows.map((r) => ({ ...r, summary: r.summary as unknown as CampaignSummary }));
}

export const getCampaignSchema = z.object({
  campaignId: z.number().int().positive(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(10).max(100).default(25),
});

export async function getCampaign(db: Database, input: z.input<typeof getCampaignSchema>) {
  const { campaignId, page, pageSize } = getCampaignSchema.parse(input);
  const [campaign] = await db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      datasetId: campaigns.datasetId,
      datasetName: datasets.name,
      modelId: campaigns.modelId,
      inputs: campaigns.inputs,
      summary: campaigns.summary,
      targetCount: campaigns.targetCount,
      createdAt: campaigns.createdAt,
      createdBy: users.name,
    })
    .from(campaigns)
    .innerJoin(datasets, eq(datasets.id, campaigns.datasetId))
    .leftJoin(users, eq(users.id, campaigns.createdById))
    .where(eq(campaigns.id, campaignId));
  if (!campaign)
    throw new TRPCError({ code: "NOT_FOUND", message: `Campaign ${campaignId} does not exist.` });
  const [total] = await db
    .select({ n: count() })
    .from(campaignTargets)
    .where(eq(campaignTargets.campaignId, campaignId));
  const targets = await db
    .select({
      rank: campaignTargets.rank,
      customerId: campaignTargets.customerId,
      externalId: campaignTargets.externalId,
      riskScore: campaignTargets.riskScore,
      riskLevel: campaignTargets.riskLevel,
      customerValue: campaignTargets.customerValue,
      expectedSavedValue: campaignTargets.expectedSavedValue,
      reason: campaignTargets.reason,
      action: campaignTargets.action,
    })
    .from(campaignTargets)
    .where(eq(campaignTargets.campaignId, campaignId))
    .orderBy(asc(campaignTargets.rank))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    ...campaign,
    inputs: campaign.inputs as unknown as CampaignInputs,
    summary: campaign.summary as unknown as CampaignSummary,
    page,
    pageSize,
    pageCount: Math.ceil(total.n / pageSize),
    targets: targets.map((t) => ({ ...t, customerId: Number(t.customerId) })),
  };
}

export const TARGETS_CSV_HEADER = [
  "rank",
  "customer_id",
  "risk_score",
  "risk_level",
  "customer_value",
  "expected_saved_value",
  "reason",
  "recommended_action",
] as const;

/** The frozen target list as CSV (csvCell: a hostile id or reason reaches a spreadsheet as text), in chunks. */
export async function exportCampaignTargets(db: Database, campaignId: number) {
  const [campaign] = await db
    .select({ id: campaigns.id, name: campaigns.name })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  if (!campaign)
    throw new TRPCError({ code: "NOT_FOUND", message: `Campaign ${campaignId} does not exist.` });
  async function* body(): AsyncGenerator<string> {
    yield `\ufeff${csvLine(TARGETS_CSV_HEADER)}`;
    for (let after = 0; ; ) {
      const rows = await db
        .select()
        .from(campaignTargets)
        .where(sql`${campaignTargets.campaignId} = ${campaignId} and ${campaignTargets.rank} > ${after}`)
        .orderBy(asc(campaignTargets.rank))
        .limit(INSERT_CHUNK);
      let text = "";
      for (const r of rows) {
        text += csvLine([
          r.rank,
          r.externalId,
          Math.round(r.riskScore * 1e6) / 1e6,
          r.riskLevel,
          Math.round(r.customerValue * 100) / 100,
          Math.round(r.expectedSavedValue * 100) / 100,
          r.reason,
          r.action,
        ]);
      }
      if (text) yield text;
      if (rows.length < INSERT_CHUNK) return;
      after = rows[rows.length - 1].rank;
    }
  }
  const safe =
    campaign.name
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 100) || "campaign";
  return { fileName: `${safe}-targets.csv`, body: body() };
}
