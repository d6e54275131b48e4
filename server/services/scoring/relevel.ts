/**
 * New risk bands apply to every stored score at once: the level is a pure function of the score
 * and the bands, so one UPDATE per table re-levels customers and scored batch rows (the customers
 * list filters by the stored level and must agree with what the predict page shows).
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { batchScores, scores } from "../../db/schema";
import { bumpScoresGeneration } from "./generation";
import type { RiskBands } from "./risk";

export async function relevelScores(db: Database, bands: RiskBands): Promise<void> {
  const level = (score: typeof scores.riskScore | typeof batchScores.riskScore) =>
    sql`case when ${score} >= ${bands.high} then 'high' when ${score} >= ${bands.medium} then 'medium' else 'low' end`;
  await db
    .update(scores)
    .set({ riskLevel: level(scores.riskScore) })
    .where(sql`${scores.riskLevel} <> ${level(scores.riskScore)}`);
  await db
    .update(batchScores)
    .set({ riskLevel: level(batchScores.riskScore) })
    .where(sql`${batchScores.riskLevel} <> ${level(batchScores.riskScore)}`);
  bumpScoresGeneration();
}
