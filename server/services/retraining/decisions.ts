/**
 * The decision history (every challenger, with both models' figures) and the manual path: a
 * manager approves (the challenger is promoted through the usual promote path) or rejects a
 * pending challenger, with a reason. A decision is taken once: the row is locked and must still be
 * pending, so a double click or two managers at once cannot promote twice.
 */
import { TRPCError } from "@trpc/server";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import { modelDecisions, models, trainingRuns } from "../../db/schema";
import { type Actor, recordAudit } from "../audit";
import { queueChampionScoring, setChampion } from "../models/registry";

export const decideInputSchema = z.object({
  decisionId: z.number().int().positive(),
  reason: z
    .string()
    .trim()
    .min(3, "Give a reason (at least 3 characters)")
    .max(1000, "At most 1,000 characters"),
});
export type DecideInput = z.input<typeof decideInputSchema>;

export async function listDecisions(db: Database, datasetId: number, limit = 50) {
  const rows = await db
    .select({
      decision: modelDecisions,
      challengerVersion: models.version,
      challengerAlgorithm: models.algorithm,
      runStatus: trainingRuns.status,
    })
    .from(modelDecisions)
    .innerJoin(models, eq(models.id, modelDecisions.challengerModelId))
    .innerJoin(trainingRuns, eq(trainingRuns.id, modelDecisions.runId))
    .where(eq(modelDecisions.datasetId, datasetId))
    .orderBy(desc(modelDecisions.createdAt), desc(modelDecisions.id))
    .limit(Math.min(200, Math.max(1, limit)));
  const championIds = [
    ...new Set(rows.map((r) => r.decision.championModelId).filter((id): id is number => id !== null)),
  ];
  const championVersions = new Map<number, { version: number; algorithm: string }>();
  for (const id of championIds) {
    const [m] = await db
      .select({ version: models.version, algorithm: models.algorithm })
      .from(models)
      .where(eq(models.id, id));
    if (m) championVersions.set(id, m);
  }
  return rows.map(({ decision, challengerVersion, challengerAlgorithm }) => ({
    id: decision.id,
    runId: decision.runId,
    outcome: decision.outcome as "pending" | "promoted" | "kept" | "rejected",
    challenger: {
      modelId: decision.challengerModelId,
      version: challengerVersion,
      algorithm: challengerAlgorithm,
      figures: decision.challengerFigures as { auc: number; brier: number; profit: number | null },
    },
    champion:
      decision.championModelId === null
        ? null
        : {
            modelId: decision.championModelId,
            version: championVersions.get(decision.championModelId)?.version ?? null,
            algorithm: championVersions.get(decision.championModelId)?.algorithm ?? null,
            figures: decision.championFigures as { auc: number; brier: number; profit: number | null } | null,
          },
    heldOutRows: decision.heldOutRows,
    rule: decision.rule as {
      policy: string;
      metric: string;
      margin: number;
      calibrationBound: number;
      comparedOn?: string;
    },
    ruleReasons: decision.ruleReasons,
    decidedBy: decision.decidedBy,
    reason: decision.reason,
    createdAt: decision.createdAt,
    decidedAt: decision.decidedAt,
  }));
}

export type DecisionItem = Awaited<ReturnType<typeof listDecisions>>[number];

async function decide(db: Database, actor: Actor, input: DecideInput, approve: boolean) {
  const parsed = decideInputSchema.parse(input);
  const result = await db.transaction(async (tx) => {
    const [decision] = await tx
      .select()
      .from(modelDecisions)
      .where(eq(modelDecisions.id, parsed.decisionId))
      .for("update");
    if (!decision)
      throw new TRPCError({ code: "NOT_FOUND", message: `Decision ${parsed.decisionId} does not exist.` });
    if (decision.outcome !== "pending") {
      throw new TRPCError({
        code: "CONFLICT",
        message: `This challenger was already ${decision.outcome === "kept" ? "kept out by the rule" : decision.outcome}${decision.decidedBy ? ` by ${decision.decidedBy}` : ""}.`,
      });
    }
    const change = approve
      ? await setChampion(tx, actor, decision.challengerModelId, {
          action: "model.promoted",
          details: { decisionId: decision.id, reason: parsed.reason },
        })
      : null;
    const [updated] = await tx
      .update(modelDecisions)
      .set({
        outcome: approve ? "promoted" : "rejected",
        decidedBy: actor.label,
        decidedById: actor.id,
        reason: parsed.reason,
        decidedAt: new Date(),
      })
      .where(eq(modelDecisions.id, decision.id))
      .returning();
    await recordAudit(tx, actor, {
      action: approve ? "retraining.challenger_approved" : "retraining.challenger_rejected",
      targetType: "model",
      targetId: decision.challengerModelId,
      details: {
        datasetId: decision.datasetId,
        decisionId: decision.id,
        runId: decision.runId,
        championModelId: decision.championModelId,
        reason: parsed.reason,
        challenger: decision.challengerFigures,
        champion: decision.championFigures,
      },
    });
    return { decision: updated, change };
  });
  // After the commit, as the promote path does: the new champion scores every customer as a job.
  if (result.change) await queueChampionScoring(db, result.change);
  return { id: result.decision.id, outcome: result.decision.outcome };
}

export function approveDecision(db: Database, actor: Actor, input: DecideInput) {
  return decide(db, actor, input, true);
}

export function rejectDecision(db: Database, actor: Actor, input: DecideInput) {
  return decide(db, actor, input, false);
}
