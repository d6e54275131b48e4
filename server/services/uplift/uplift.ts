/**
 * The uplift model of a dataset: fit a T-learner (lib/uplift/t-learner.ts) on every campaign's
 * recorded outcomes — customers who got an action vs the hold-out group, retained or churned — and
 * rank the active customers by expected uplift × value. Outcomes are read through the outcomes
 * tables; customer features stay JSON values (no column name of the file reaches SQL text).
 *
 * Fitting runs in the request: two logistic regressions on a few thousand outcome rows take well
 * under a second (measured in BENCHMARKS.md), so no durable job is needed.
 */
import { TRPCError } from "@trpc/server";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { RawRecord } from "@/lib/ml/features";
import {
  fitUpliftModel,
  missingOutcomesMessage,
  type QiniPoint,
  type QiniSummary,
  rankByUpliftValue,
  thinQiniPoints,
  UPLIFT_REQUIREMENTS,
  type UpliftGroupCounts,
  UpliftModel,
} from "@/lib/uplift";
import type { Database } from "../../db/client";
import { campaigns, customers, retentionActions, upliftModels } from "../../db/schema";
import { cachedAnalytics } from "../analytics/cache";
import { resolveAnalyticsScope } from "../analytics/scope";
import { type Actor, recordAudit } from "../audit";
import { customerStatusCondition } from "../customers/status";
import { getCurrency } from "../settings";
import { type UpliftRankingInput, upliftRankingSchema } from "./schemas";

export interface UpliftModelView {
  id: number;
  createdAt: Date;
  counts: UpliftGroupCounts;
  campaignCount: number;
  qini: QiniSummary;
  /** The Qini result in plain words. */
  sentence: string;
}

export interface UpliftStatus {
  datasetId: number;
  requirements: typeof UPLIFT_REQUIREMENTS;
  /** Recorded final outcomes now (retained or churned), by group. */
  counts: UpliftGroupCounts;
  /** What is still needed to fit, or null when the outcomes are enough. */
  missing: string | null;
  model: UpliftModelView | null;
}

const FINAL_OUTCOMES = ["retained", "churned"] as const;

/** Counts of final outcomes per group over every campaign of the dataset. */
async function outcomeCounts(db: Database, datasetId: number): Promise<UpliftGroupCounts> {
  const rows = await db
    .select({
      isHoldout: retentionActions.isHoldout,
      outcome: retentionActions.outcome,
      n: sql<number>`count(*)::int`,
    })
    .from(retentionActions)
    .innerJoin(campaigns, eq(campaigns.id, retentionActions.campaignId))
    .where(and(eq(campaigns.datasetId, datasetId), inArray(retentionActions.outcome, [...FINAL_OUTCOMES])))
    .groupBy(retentionActions.isHoldout, retentionActions.outcome);
  const counts: UpliftGroupCounts = { treated: 0, treatedChurned: 0, holdout: 0, holdoutChurned: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.isHoldout) {
      counts.holdout += n;
      if (r.outcome === "churned") counts.holdoutChurned += n;
    } else {
      counts.treated += n;
      if (r.outcome === "churned") counts.treatedChurned += n;
    }
  }
  return counts;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function qiniSentence(qini: QiniSummary, counts: UpliftGroupCounts): string {
  const total = counts.treated + counts.holdout;
  const { contacted, gain, random } = qini.top20;
  const verdict =
    qini.coefficient > 0
      ? "better than picking customers at random"
      : "no better than picking customers at random: keep ranking by risk";
  return (
    `Tested on customers each model had not learned from: of the ${total.toLocaleString("en-US")} ` +
    `customers with outcomes, contacting the ${contacted.toLocaleString("en-US")} the model ranks highest ` +
    `keeps an estimated ${round(gain)} more customers than not contacting them, against ${round(random)} ` +
    `for the same number picked at random. Qini coefficient ${qini.coefficient.toFixed(4)} — ${verdict}.`
  );
}

function modelView(row: typeof upliftModels.$inferSelect): UpliftModelView {
  const counts = {
    treated: row.treatedCount,
    treatedChurned: row.treatedChurned,
    holdout: row.holdoutCount,
    holdoutChurned: row.holdoutChurned,
  };
  const qini = row.qini as unknown as QiniSummary;
  return {
    id: row.id,
    createdAt: row.createdAt,
    counts,
    campaignCount: row.campaignCount,
    qini,
    sentence: qiniSentence(qini, counts),
  };
}

async function latestModel(db: Database, datasetId: number) {
  const [row] = await db
    .select()
    .from(upliftModels)
    .where(eq(upliftModels.datasetId, datasetId))
    .orderBy(desc(upliftModels.createdAt), desc(upliftModels.id))
    .limit(1);
  return row ?? null;
}

export async function upliftStatus(db: Database, datasetId: number): Promise<UpliftStatus> {
  await resolveAnalyticsScope(db, datasetId); // NOT_FOUND for a missing dataset
  const [counts, row] = await Promise.all([outcomeCounts(db, datasetId), latestModel(db, datasetId)]);
  return {
    datasetId,
    requirements: UPLIFT_REQUIREMENTS,
    counts,
    missing: missingOutcomesMessage(counts, UPLIFT_REQUIREMENTS),
    model: row ? modelView(row) : null,
  };
}

/** Fits and stores a new uplift model from every recorded outcome of the dataset; audited. */
export async function fitUplift(db: Database, actor: Actor, datasetId: number): Promise<UpliftStatus> {
  const scope = await resolveAnalyticsScope(db, datasetId);
  if (!scope.version || !scope.schema) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `${scope.dataset.name} has no imported data yet.` });
  }
  const rows = await db
    .select({
      campaignId: retentionActions.campaignId,
      isHoldout: retentionActions.isHoldout,
      outcome: retentionActions.outcome,
      features: customers.features,
    })
    .from(retentionActions)
    .innerJoin(campaigns, eq(campaigns.id, retentionActions.campaignId))
    .innerJoin(customers, eq(customers.id, retentionActions.customerId))
    .where(and(eq(campaigns.datasetId, datasetId), inArray(retentionActions.outcome, [...FINAL_OUTCOMES])))
    .orderBy(retentionActions.id);
  const result = fitUpliftModel(
    scope.schema,
    rows.map((r) => r.features as RawRecord),
    rows.map((r) => !r.isHoldout),
    rows.map((r) => r.outcome === "churned"),
    { seed: datasetId },
  );
  if (!result.ok) throw new TRPCError({ code: "PRECONDITION_FAILED", message: result.message });
  const qini: QiniSummary = {
    ...result.qini,
    points: thinQiniPoints(result.qini.points, 101) satisfies QiniPoint[],
  };
  const campaignCount = new Set(rows.map((r) => r.campaignId)).size;
  await db.transaction(async (t) => {
    const [row] = await t
      .insert(upliftModels)
      .values({
        datasetId,
        datasetVersionId: scope.version?.id ?? 0,
        model: result.model.toJSON() as unknown as Record<string, unknown>,
        qini: qini as unknown as Record<string, unknown>,
        treatedCount: result.counts.treated,
        treatedChurned: result.counts.treatedChurned,
        holdoutCount: result.counts.holdout,
        holdoutChurned: result.counts.holdoutChurned,
        campaignCount,
        createdById: actor.id,
      })
      .returning({ id: upliftModels.id });
    await recordAudit(t, actor, {
      action: "uplift.fit",
      targetType: "dataset",
      targetId: datasetId,
      details: {
        dataset: scope.dataset.name,
        modelId: row.id,
        treated: result.counts.treated,
        holdout: result.counts.holdout,
        qini: qini.coefficient,
      },
    });
  });
  return upliftStatus(db, datasetId);
}

export interface UpliftTarget {
  rank: number;
  customerId: number;
  externalId: string;
  /** P(churn) without and with the action, and their difference (the predicted uplift). */
  riskWithout: number;
  riskWith: number;
  uplift: number;
  value: number;
  /** uplift × value: the revenue the contact is expected to keep. */
  expectedSavedValue: number;
}

export interface UpliftRanking {
  available: true;
  modelId: number;
  currency: string;
  /** Active customers scored. */
  eligible: number;
  /** How many the action is predicted to help (uplift > 0). */
  helped: number;
  contacted: number;
  /** Over the contacted: customers expected to be kept, and their value. */
  expectedKept: number;
  expectedSavedValue: number;
  valueNote: string;
  targets: UpliftTarget[];
}

export type UpliftRankingResult =
  | UpliftRanking
  | { available: false; message: string; counts: UpliftGroupCounts };

/**
 * The active customers of the planner's version ranked by expected uplift × value, or — without a
 * fitted model — what has to be recorded first.
 */
export async function upliftRanking(db: Database, input: UpliftRankingInput): Promise<UpliftRankingResult> {
  const options = upliftRankingSchema.parse(input);
  const scope = await resolveAnalyticsScope(db, options.datasetId);
  const row = await latestModel(db, options.datasetId);
  if (!row || !scope.version) {
    const counts = await outcomeCounts(db, options.datasetId);
    const missing = missingOutcomesMessage(counts, UPLIFT_REQUIREMENTS);
    return {
      available: false,
      counts,
      message:
        missing ??
        "Enough outcomes are recorded: fit the uplift model (on a campaign's results page) to rank by expected uplift × value.",
    };
  }
  if (options.value.source === "monthly" && !scope.monthlyValueColumn) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: "This dataset has no monthly charges column: value customers with a flat amount instead.",
    });
  }
  const versionId = scope.version.id;
  const scored = await cachedAnalytics(db, ["uplift-scores", row.id, versionId], async () => {
    const found = await db
      .select({
        id: customers.id,
        externalId: customers.externalId,
        features: customers.features,
        monthly: customers.monthlyValue,
      })
      .from(customers)
      .where(and(eq(customers.datasetVersionId, versionId), customerStatusCondition("active")))
      .orderBy(customers.id);
    const prediction = UpliftModel.fromJSON(row.model).predictRecords(
      found.map((c) => c.features as RawRecord),
    );
    return {
      ids: found.map((c) => Number(c.id)),
      externalIds: found.map((c) => c.externalId),
      monthly: found.map((c) => c.monthly ?? 0),
      ...prediction,
    };
  });
  const value = options.value;
  const values = scored.monthly.map((m) => (value.source === "flat" ? value.amount : m * value.months));
  const order = rankByUpliftValue(scored.uplift, values);
  const helped = scored.uplift.reduce((n, u) => n + (u > 0 ? 1 : 0), 0);
  const positiveValue = order.filter((i) => scored.uplift[i] * values[i] > 0).length;
  const contacted = Math.min(options.contactCount ?? positiveValue, order.length);
  let expectedKept = 0;
  let expectedSavedValue = 0;
  for (let k = 0; k < contacted; k++) {
    const i = order[k];
    expectedKept += scored.uplift[i];
    expectedSavedValue += scored.uplift[i] * values[i];
  }
  return {
    available: true,
    modelId: row.id,
    currency: await getCurrency(db),
    eligible: order.length,
    helped,
    contacted,
    expectedKept,
    expectedSavedValue,
    valueNote:
      value.source === "flat"
        ? "Every customer is worth the same amount."
        : `${scope.monthlyValueColumn} × ${value.months} months.`,
    targets: order.slice(0, options.limit).map((i, k) => ({
      rank: k + 1,
      customerId: scored.ids[i],
      externalId: scored.externalIds[i],
      riskWithout: scored.riskWithout[i],
      riskWith: scored.riskWith[i],
      uplift: scored.uplift[i],
      value: values[i],
      expectedSavedValue: scored.uplift[i] * values[i],
    })),
  };
}
