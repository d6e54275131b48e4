/**
 * Assigning a saved plan's targets: every target still active gets its recommended action, an
 * owner and a due date, except a seeded, risk-stratified hold-out share that gets nothing. Written
 * as rows in one transaction with the audit entry; a campaign is assigned once.
 */
import { randomInt } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { z } from "zod";
import { drawHoldout } from "@/lib/uplift";
import type { Database } from "../../db/client";
import {
  campaigns,
  campaignTargets,
  customers,
  datasetVersions,
  retentionActions,
  retentionAssignments,
  scores,
  users,
} from "../../db/schema";
import { resolveAnalyticsScope } from "../analytics/scope";
import { type Actor, recordAudit } from "../audit";
import { targetDetails } from "../campaigns/targets";
import { getPlaybook } from "../retention";
import { getCurrency } from "../settings";
import { assignCampaignSchema, assignSelectionSchema } from "./schemas";

const INSERT_CHUNK = 2_000;
const DAY_MS = 86_400_000;

function fail(code: "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT", message: string): never {
  throw new TRPCError({ code, message });
}

/** Owners act on customers: an active manager or admin. */
async function checkOwner(db: Database, ownerId: number) {
  const [owner] = await db
    .select({ role: users.role, deactivatedAt: users.deactivatedAt, name: users.name })
    .from(users)
    .where(eq(users.id, ownerId));
  if (!owner) fail("BAD_REQUEST", `Owner ${ownerId} does not exist.`);
  if (owner.deactivatedAt) fail("BAD_REQUEST", `${owner.name} is deactivated and cannot own actions.`);
  if (owner.role === "viewer")
    fail("BAD_REQUEST", `${owner.name} is a viewer: only managers and admins own actions.`);
}

type AssignOptions = z.output<typeof assignCampaignSchema>;

async function assignTargets(db: Database, actor: Actor, campaignId: number, options: AssignOptions) {
  const [campaign] = await db
    .select({ id: campaigns.id, name: campaigns.name })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  if (!campaign) fail("NOT_FOUND", `Campaign ${campaignId} does not exist.`);
  const ownerId = options.ownerId ?? actor.id;
  if (ownerId !== null) await checkOwner(db, ownerId);
  // Lost customers (label churned) are not acted on, even if they were targeted when saved.
  const targets = await db
    .select({
      customerId: campaignTargets.customerId,
      externalId: campaignTargets.externalId,
      risk: campaignTargets.riskScore,
      value: campaignTargets.customerValue,
      action: campaignTargets.action,
    })
    .from(campaignTargets)
    .innerJoin(customers, eq(customers.id, campaignTargets.customerId))
    .where(and(eq(campaignTargets.campaignId, campaignId), sql`${customers.label} is distinct from 1`))
    .orderBy(asc(campaignTargets.rank));
  if (targets.length === 0) fail("BAD_REQUEST", `${campaign.name} has no active customers to assign.`);
  const seed = options.seed ?? randomInt(0, 2_147_483_647);
  const draw = drawHoldout(
    targets.map((t) => ({ id: Number(t.customerId), risk: t.risk })),
    options.holdoutShare,
    seed,
  );
  const now = new Date();
  const due = new Date(now.getTime() + options.dueDays * DAY_MS);
  return db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const inserted = await t
      .insert(retentionAssignments)
      .values({
        campaignId,
        holdoutShare: options.holdoutShare,
        seed,
        windowDays: options.windowDays,
        treatedCount: targets.length - draw.holdout.size,
        holdoutCount: draw.holdout.size,
        createdById: actor.id,
      })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) fail("CONFLICT", `${campaign.name} is already assigned.`);
    const assignment = inserted[0];
    for (let start = 0; start < targets.length; start += INSERT_CHUNK) {
      const chunk = targets.slice(start, start + INSERT_CHUNK).map((target) => {
        const id = Number(target.customerId);
        const isHoldout = draw.holdout.has(id);
        return {
          s: assignment.id,
          c: campaignId,
          u: id,
          e: target.externalId,
          h: isHoldout,
          a: target.action ?? "Personal call from the account owner",
          o: isHoldout ? null : ownerId,
          d: isHoldout ? null : due.toISOString(),
          r: target.risk,
          k: draw.deciles.get(id),
          v: target.value,
        };
      });
      await t.execute(sql`
        insert into ${retentionActions} (assignment_id, campaign_id, customer_id, external_id, is_holdout,
          action, owner_id, due_date, risk_score, risk_decile, customer_value)
        select r.s, r.c, r.u, r.e, r.h, r.a, r.o, r.d, r.r, r.k, r.v
        from json_to_recordset(${JSON.stringify(chunk)}::json)
          as r(s integer, c integer, u bigint, e text, h boolean, a text, o integer, d timestamptz, r real,
               k smallint, v real)`);
    }
    await recordAudit(t, actor, {
      action: "campaign.assign",
      targetType: "campaign",
      targetId: campaignId,
      details: {
        name: campaign.name,
        treated: assignment.treatedCount,
        holdout: assignment.holdoutCount,
        holdoutShare: options.holdoutShare,
        seed,
      },
    });
    return {
      campaignId,
      assignmentId: assignment.id,
      seed,
      treated: assignment.treatedCount,
      holdout: assignment.holdoutCount,
    };
  });
}

export async function assignCampaign(
  db: Database,
  actor: Actor,
  input: z.input<typeof assignCampaignSchema>,
) {
  const { campaignId, ...options } = assignCampaignSchema.parse(input);
  return assignTargets(db, actor, campaignId, { campaignId, ...options });
}

/**
 * A hand-picked selection from the customers list becomes a campaign of its own (so outcomes and
 * results work the same way), valued at 12 months of monthly charges when the dataset has them.
 */
export async function assignSelection(
  db: Database,
  actor: Actor,
  input: z.input<typeof assignSelectionSchema>,
) {
  const { datasetId, customerIds, name, offerCost, ...options } = assignSelectionSchema.parse(input);
  const scope = await resolveAnalyticsScope(db, datasetId);
  if (!scope.champion || !scope.version)
    fail(
      "BAD_REQUEST",
      `${scope.dataset.name} has no champion model yet: train models before assigning actions.`,
    );
  const championId = scope.champion.id;
  const unique = [...new Set(customerIds)];
  const rows = await db
    .select({
      id: customers.id,
      label: customers.label,
      monthly: customers.monthlyValue,
      risk: scores.riskScore,
      externalId: customers.externalId,
    })
    .from(customers)
    .innerJoin(scores, and(eq(scores.customerId, customers.id), eq(scores.modelId, championId)))
    .where(and(eq(customers.datasetVersionId, scope.version.id), inArray(customers.id, unique)));
  const found = new Map(rows.map((r) => [Number(r.id), r]));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length)
    fail(
      "BAD_REQUEST",
      `Customer ${missing[0]} is not a scored customer of ${scope.dataset.name}'s current version.`,
    );
  const lost = rows.find((r) => r.label === 1);
  if (lost)
    fail(
      "BAD_REQUEST",
      `Customer ${lost.externalId} has churned already: only active customers get actions.`,
    );
  const ranked = [...rows].sort((a, b) => b.risk - a.risk || Number(a.id) - Number(b.id));
  const details = new Map(
    (
      await targetDetails(
        db,
        championId,
        ranked.map((r) => Number(r.id)),
        await getPlaybook(db),
      )
    ).map((d) => [d.customerId, d]),
  );
  const yearValue = (monthly: number | null) => (monthly ?? 0) * 12;
  const acceptanceRate = 0.3;
  const savedValue = ranked.reduce((s, r) => s + r.risk * yearValue(r.monthly) * acceptanceRate, 0);
  const [version] = await db
    .select({ id: datasetVersions.id })
    .from(datasetVersions)
    .where(eq(datasetVersions.id, scope.version.id));
  // Read before the transaction: on PGlite (one connection) a query outside it would wait forever.
  const currency = await getCurrency(db);
  const campaignId = await db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const [campaign] = await t
      .insert(campaigns)
      .values({
        datasetId,
        datasetVersionId: version.id,
        modelId: championId,
        name,
        inputs: {
          datasetId,
          offerCost,
          acceptanceRate,
          value: { source: "monthly", months: 12 },
          budget: null,
          filters: [],
          ranking: "risk",
          contactCount: ranked.length,
          selection: true,
        },
        summary: {
          eligible: ranked.length,
          contacted: ranked.length,
          bestContacted: ranked.length,
          cost: offerCost * ranked.length,
          expectedChurners: ranked.reduce((s, r) => s + r.risk, 0),
          savedValue,
          profit: savedValue - offerCost * ranked.length,
          savedLower: null,
          savedUpper: null,
          profitLower: null,
          profitUpper: null,
          minRisk: ranked[ranked.length - 1].risk,
          currency,
          championVersion: scope.champion?.version ?? 0,
          valueNote: "12 months of monthly charges (hand-picked selection)",
          calibrationError: null,
        },
        targetCount: ranked.length,
        createdById: actor.id,
      })
      .returning({ id: campaigns.id });
    const targetRows = ranked.map((r, i) => {
      const detail = details.get(Number(r.id));
      return {
        campaignId: campaign.id,
        customerId: Number(r.id),
        rank: i + 1,
        externalId: r.externalId,
        riskScore: r.risk,
        riskLevel: detail?.riskLevel ?? "unknown",
        customerValue: yearValue(r.monthly),
        expectedSavedValue: r.risk * yearValue(r.monthly) * acceptanceRate,
        drivers: detail?.drivers ?? [],
        reason: detail?.reason ?? "Picked by hand",
        action: detail?.action ?? null,
      };
    });
    for (let start = 0; start < targetRows.length; start += INSERT_CHUNK)
      await t.insert(campaignTargets).values(targetRows.slice(start, start + INSERT_CHUNK));
    await recordAudit(t, actor, {
      action: "campaign.create",
      targetType: "campaign",
      targetId: campaign.id,
      details: { name, datasetId, targets: ranked.length, selection: true },
    });
    return campaign.id;
  });
  return assignTargets(db, actor, campaignId, { campaignId, ...options });
}

/** Managers and admins who may own actions, for the owner pickers. */
export async function actionOwners(db: Database) {
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(ne(users.role, "viewer"), sql`${users.deactivatedAt} is null`))
    .orderBy(asc(users.name))
    .limit(500);
}
