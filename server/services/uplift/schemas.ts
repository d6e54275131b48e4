/** Inputs of the uplift-model procedures (zod only, so forms can import them). */
import { z } from "zod";

const id = z.number().int().positive();

export const upliftDatasetSchema = z.object({ datasetId: id });

/** How a customer is valued in the uplift ranking (the planner's monthly or flat choice). */
export const upliftValueSchema = z.discriminatedUnion("source", [
  z.object({ source: z.literal("monthly"), months: z.number().gt(0).max(600) }),
  z.object({ source: z.literal("flat"), amount: z.number().min(0).max(1e9) }),
]);

export const upliftRankingSchema = z.object({
  datasetId: id,
  value: upliftValueSchema.default({ source: "monthly", months: 12 }),
  /** Customers listed (the top by expected uplift × value). */
  limit: z.number().int().min(1).max(200).default(20),
  /** Contact this many for the totals; default: everyone the action is predicted to help. */
  contactCount: z.number().int().min(0).max(10_000_000).nullable().default(null),
});
export type UpliftRankingInput = z.input<typeof upliftRankingSchema>;
