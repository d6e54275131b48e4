/**
 * Challenger vs champion for a scheduled run (called by the training pipeline's register step):
 * both models predict the SAME held-out rows of the run's (newest) dataset version — the rows the
 * challenger never saw while fitting — and the dataset's promotion rule decides. The decision is
 * recorded with both models' figures; an automatic promotion goes through the usual promote path
 * (champion change audited, then scoring with the new champion as the score-champion job).
 *
 * Caveat recorded here rather than hidden: the champion was trained on an earlier version, whose
 * rows may overlap the new version's held-out rows, which can only flatter the champion — so the
 * comparison errs on the side of keeping it.
 */
import { and, desc, eq } from "drizzle-orm";
import type { ChurnModel } from "@/lib/ml";
import { brierScore, rocAuc } from "@/lib/ml/metrics";
import { expectedProfit, type RetentionEconomics } from "@/lib/ml/metrics/threshold";
import { decidePromotion, type ModelFigures } from "@/lib/schedules/promotion-rule";
import type { Database } from "../../db/client";
import { campaigns, modelDecisions, models, retrainingSchedules, type trainingRuns } from "../../db/schema";
import { type Actor, recordAudit } from "../audit";
import { monthlyValueColumn } from "../datasets/import";
import { loadModelArtifact } from "../models/artifacts";
import { queueChampionScoring, setChampion } from "../models/registry";
import { parseTrainingParams } from "../training/params";
import { loadRunData, type RunData } from "../training/run-data";
import { ruleOf } from "./rule";

type RunRecord = typeof trainingRuns.$inferSelect;

export const RULE_ACTOR: Actor = { id: null, label: "retraining rule" };

export function isChallengerRun(run: Pick<RunRecord, "trigger">): boolean {
  return run.trigger === "schedule";
}

/** Offer economics from the dataset's most recent saved campaign, when it has one we can value. */
async function campaignEconomics(
  db: Database,
  datasetId: number,
  data: RunData,
): Promise<RetentionEconomics | null> {
  const [latest] = await db
    .select({ inputs: campaigns.inputs })
    .from(campaigns)
    .where(eq(campaigns.datasetId, datasetId))
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(1);
  if (!latest) return null;
  const inputs = latest.inputs as {
    offerCost?: unknown;
    acceptanceRate?: unknown;
    value?: { source?: unknown; amount?: unknown; months?: unknown };
  };
  const offerCost = Number(inputs.offerCost);
  const acceptanceRate = Number(inputs.acceptanceRate);
  if (!Number.isFinite(offerCost) || !Number.isFinite(acceptanceRate)) return null;
  let customerValue: number | null = null;
  if (inputs.value?.source === "flat") customerValue = Number(inputs.value.amount);
  else if (inputs.value?.source === "monthly") {
    // Monthly charge × months kept, averaged over the held-out customers.
    const column = monthlyValueColumn(data.table.schema);
    const at = column === null ? -1 : data.table.columns.indexOf(column);
    if (at >= 0) {
      let sum = 0;
      let n = 0;
      for (const row of data.split.validation) {
        const value = Number(data.table.rows[data.training.sourceRows[row]][at]);
        if (Number.isFinite(value)) {
          sum += value;
          n += 1;
        }
      }
      if (n > 0) customerValue = (sum / n) * Number(inputs.value.months);
    }
  }
  if (customerValue === null || !Number.isFinite(customerValue)) return null;
  return { offerCost, acceptanceRate, customerValue };
}

function figuresOf(
  model: ChurnModel,
  threshold: number,
  data: RunData,
  economics: RetentionEconomics | null,
): ModelFigures {
  const proba = model.predictFrame(data.training.frame, data.split.validation);
  let profit: number | null = null;
  if (economics) {
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < proba.length; i++) {
      if (proba[i] < threshold) continue;
      if (data.testLabels[i] === 1) tp += 1;
      else fp += 1;
    }
    profit = expectedProfit(tp, fp, economics);
  }
  return { auc: rocAuc(data.testLabels, proba), brier: brierScore(data.testLabels, proba), profit };
}

async function loadModelRow(db: Database, modelId: number) {
  const [row] = await db.select().from(models).where(eq(models.id, modelId));
  return row ?? null;
}

export interface ChallengerDecision {
  decisionId: number;
  outcome: "pending" | "promoted" | "kept";
  championModelId: number | null;
  summary: string;
}

/** Evaluates, records and (automatic rule) applies the decision for a scheduled run. Idempotent per run. */
export async function decideChallenger(
  db: Database,
  run: RunRecord,
  challengerModelId: number,
): Promise<ChallengerDecision> {
  const [existing] = await db.select().from(modelDecisions).where(eq(modelDecisions.runId, run.id));
  if (existing) {
    // A retried register step: apply a recorded promotion that may not have finished.
    if (existing.outcome === "promoted")
      await promoteChallenger(db, RULE_ACTOR, existing.challengerModelId, existing.id);
    return {
      decisionId: existing.id,
      outcome: existing.outcome as ChallengerDecision["outcome"],
      championModelId:
        existing.outcome === "promoted" ? existing.challengerModelId : existing.championModelId,
      summary: `Challenger decision: ${existing.outcome}`,
    };
  }
  const params = parseTrainingParams(run.params);
  const data = await loadRunData(db, run.datasetVersionId, params);
  const economics = await campaignEconomics(db, run.datasetId, data);
  const challengerRow = await loadModelRow(db, challengerModelId);
  if (!challengerRow) throw new Error(`Challenger model ${challengerModelId} is gone`);
  const challenger = await loadModelArtifact(
    challengerRow.id,
    challengerRow.artifactKey,
    challengerRow.artifactSha256,
  );
  const challengerFigures = figuresOf(challenger, challengerRow.threshold, data, economics);

  const [championRow] = await db
    .select()
    .from(models)
    .where(and(eq(models.datasetId, run.datasetId), eq(models.status, "champion")));
  let championFigures: ModelFigures | null = null;
  let championProblem: string | null = null;
  if (championRow) {
    try {
      const champion = await loadModelArtifact(
        championRow.id,
        championRow.artifactKey,
        championRow.artifactSha256,
      );
      championFigures = figuresOf(champion, championRow.threshold, data, economics);
    } catch (error) {
      championProblem = `The champion could not score the new version's rows: ${(error as Error).message}`;
    }
  }
  const [schedule] = await db
    .select()
    .from(retrainingSchedules)
    .where(eq(retrainingSchedules.datasetId, run.datasetId));
  const rule = ruleOf(schedule);
  let verdict = decidePromotion(championFigures, challengerFigures, rule);
  if (championRow && championFigures === null) {
    // Nothing to compare with: a person decides, whatever the policy.
    verdict = {
      ...verdict,
      verdict: "manual",
      reasons: [championProblem ?? "The champion could not be evaluated."],
    };
  }
  const outcome: ChallengerDecision["outcome"] =
    verdict.verdict === "promote" ? "promoted" : verdict.verdict === "keep" ? "kept" : "pending";

  const decisionId = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(modelDecisions)
      .values({
        datasetId: run.datasetId,
        runId: run.id,
        challengerModelId,
        championModelId: championRow?.id ?? null,
        challengerFigures: { ...challengerFigures },
        championFigures: championFigures ? { ...championFigures } : null,
        heldOutRows: data.split.validation.length,
        rule: { ...rule, comparedOn: verdict.metric },
        ruleReasons: verdict.reasons,
        outcome,
        decidedBy: outcome === "pending" ? null : "rule",
        decidedAt: outcome === "pending" ? null : new Date(),
      })
      .returning({ id: modelDecisions.id });
    await recordAudit(tx, RULE_ACTOR, {
      action: `retraining.challenger_${outcome}`,
      targetType: "model",
      targetId: challengerModelId,
      details: {
        datasetId: run.datasetId,
        runId: run.id,
        decisionId: created.id,
        championModelId: championRow?.id ?? null,
        challenger: challengerFigures,
        champion: championFigures,
        reasons: verdict.reasons,
      },
    });
    return created.id;
  });
  if (outcome === "promoted") await promoteChallenger(db, RULE_ACTOR, challengerModelId, decisionId);
  const summary =
    outcome === "promoted"
      ? `Challenger promoted by the rule (AUC ${challengerFigures.auc.toFixed(3)}${championFigures ? ` vs ${championFigures.auc.toFixed(3)}` : ""})`
      : outcome === "kept"
        ? `Champion kept: ${verdict.reasons.join(" ")}`
        : "Challenger waits for a manager's decision";
  return {
    decisionId,
    outcome,
    championModelId: outcome === "promoted" ? challengerModelId : (championRow?.id ?? null),
    summary,
  };
}

/** The existing promote path: champion change (audited) then scoring by the score-champion job. */
export async function promoteChallenger(db: Database, actor: Actor, modelId: number, decisionId: number) {
  const change = await setChampion(db, actor, modelId, {
    action: "model.promoted",
    details: { decisionId, reason: "challenger promoted" },
  });
  return queueChampionScoring(db, change);
}
