/**
 * A campaign's measured results: progress of the actions, retained rate of the acted-on customers
 * against the hold-out, the uplift with its 95 % interval (lib/uplift, Newcombe), customers and
 * revenue saved, cost and ROI — overall, per action type and per risk decile. The hold-out keeps
 * the action it would have got and its decile, so each breakdown compares like with like.
 */
import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { measureUplift, type SavedEstimate, savedCustomers, type UpliftEstimate } from "@/lib/uplift";
import type { Database } from "../../db/client";
import {
  campaigns,
  OUTCOMES,
  type Outcome,
  retentionActions,
  retentionAssignments,
  users,
} from "../../db/schema";
import type { CampaignSummary } from "../campaigns/saved";

export interface GroupResult {
  key: string;
  treated: number;
  holdout: number;
  /** Outcome counts of the acted-on customers and of the hold-out. */
  treatedOutcomes: Record<Outcome, number>;
  holdoutOutcomes: Record<Outcome, number>;
  estimate: UpliftEstimate;
  saved: SavedEstimate | null;
  cost: number;
  /** Uplift × the value of the acted-on customers (the value the plan used), with its interval. */
  savedRevenue: number | null;
  savedRevenueLower: number | null;
  savedRevenueUpper: number | null;
  /** (saved revenue − cost) / cost; null without a cost or an estimate. */
  roi: number | null;
}

interface Cell {
  isHoldout: boolean;
  action: string;
  decile: number;
  outcome: Outcome;
  n: number;
  value: number;
}

const emptyOutcomes = () => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;

function summarise(key: string, cells: readonly Cell[], offerCost: number): GroupResult {
  const treatedOutcomes = emptyOutcomes();
  const holdoutOutcomes = emptyOutcomes();
  let treatedValue = 0;
  for (const c of cells) {
    (c.isHoldout ? holdoutOutcomes : treatedOutcomes)[c.outcome] += c.n;
    if (!c.isHoldout) treatedValue += c.value;
  }
  const total = (o: Record<Outcome, number>) => OUTCOMES.reduce((s, k) => s + o[k], 0);
  const treated = total(treatedOutcomes);
  const holdout = total(holdoutOutcomes);
  const estimate = measureUplift(
    { resolved: treatedOutcomes.retained + treatedOutcomes.churned, retained: treatedOutcomes.retained },
    { resolved: holdoutOutcomes.retained + holdoutOutcomes.churned, retained: holdoutOutcomes.retained },
  );
  const cost = offerCost * treated;
  const scale = (x: number | null) => (x === null ? null : x * treatedValue);
  const savedRevenue = scale(estimate.uplift);
  return {
    key,
    treated,
    holdout,
    treatedOutcomes,
    holdoutOutcomes,
    estimate,
    saved: savedCustomers(estimate, treated),
    cost,
    savedRevenue,
    savedRevenueLower: scale(estimate.lower),
    savedRevenueUpper: scale(estimate.upper),
    roi: savedRevenue === null || cost <= 0 ? null : (savedRevenue - cost) / cost,
  };
}

function groupBy(cells: readonly Cell[], keyOf: (c: Cell) => string) {
  const groups = new Map<string, Cell[]>();
  for (const c of cells) {
    const key = keyOf(c);
    const list = groups.get(key) ?? [];
    list.push(c);
    groups.set(key, list);
  }
  return groups;
}

export async function campaignResults(db: Database, campaignId: number) {
  const [campaign] = await db
    .select({ id: campaigns.id, name: campaigns.name, inputs: campaigns.inputs, summary: campaigns.summary })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  if (!campaign)
    throw new TRPCError({ code: "NOT_FOUND", message: `Campaign ${campaignId} does not exist.` });
  const [assignment] = await db
    .select({
      id: retentionAssignments.id,
      holdoutShare: retentionAssignments.holdoutShare,
      seed: retentionAssignments.seed,
      windowDays: retentionAssignments.windowDays,
      treatedCount: retentionAssignments.treatedCount,
      holdoutCount: retentionAssignments.holdoutCount,
      createdAt: retentionAssignments.createdAt,
      createdBy: users.name,
    })
    .from(retentionAssignments)
    .leftJoin(users, eq(users.id, retentionAssignments.createdById))
    .where(eq(retentionAssignments.campaignId, campaignId));
  const currency = (campaign.summary as unknown as CampaignSummary).currency;
  if (!assignment) return { campaignId, name: campaign.name, currency, assignment: null };
  const rows = await db
    .select({
      isHoldout: retentionActions.isHoldout,
      action: sql<string>`coalesce(${retentionActions.action}, '')`,
      decile: retentionActions.riskDecile,
      outcome: retentionActions.outcome,
      n: sql<number>`count(*)::int`,
      value: sql<number>`coalesce(sum(${retentionActions.customerValue}), 0)::float8`,
    })
    .from(retentionActions)
    .where(eq(retentionActions.campaignId, campaignId))
    .groupBy(retentionActions.isHoldout, sql`2`, retentionActions.riskDecile, retentionActions.outcome);
  const cells: Cell[] = rows.map((r) => ({ ...r, n: Number(r.n), value: Number(r.value) }));
  const offerCost = Number((campaign.inputs as { offerCost?: number }).offerCost ?? 0);
  const overall = summarise("all", cells, offerCost);
  const byAction = [...groupBy(cells, (c) => c.action)]
    .map(([key, list]) => summarise(key || "No action", list, offerCost))
    .sort((a, b) => b.treated + b.holdout - (a.treated + a.holdout) || a.key.localeCompare(b.key));
  const byDecile = [...groupBy(cells, (c) => String(c.decile))]
    .map(([key, list]) => summarise(key, list, offerCost))
    .sort((a, b) => Number(a.key) - Number(b.key));
  const resolvedTreated = overall.treatedOutcomes.retained + overall.treatedOutcomes.churned;
  const resolvedHoldout = overall.holdoutOutcomes.retained + overall.holdoutOutcomes.churned;
  return {
    campaignId,
    name: campaign.name,
    currency,
    assignment,
    overall,
    byAction,
    byDecile,
    /** How much is known: outcomes with a final answer per group. */
    progress: {
      treatedResolved: resolvedTreated,
      holdoutResolved: resolvedHoldout,
      contactedOrLater: overall.treated - overall.treatedOutcomes.pending,
    },
  };
}
