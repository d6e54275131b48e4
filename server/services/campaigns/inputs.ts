/**
 * What a manager chooses when planning a retention campaign. Pure (zod only): the planner form
 * imports the schema and defaults from here.
 */
import { z } from "zod";
import { CONTACT_RANKINGS } from "@/lib/ml/metrics/threshold";

export const VALUE_SOURCES = ["monthly", "lifetime", "flat"] as const;
export type ValueSource = (typeof VALUE_SOURCES)[number];

export const campaignValueSchema = z.discriminatedUnion("source", [
  /** Monthly charge × a number of months kept. */
  z.object({ source: z.literal("monthly"), months: z.number().gt(0, "Enter more than 0 months").max(600) }),
  /** Monthly charge × the customer's expected remaining lifetime (retention curve). */
  z.object({ source: z.literal("lifetime") }),
  /** The same amount for everyone (no monthly charges column). */
  z.object({ source: z.literal("flat"), amount: z.number().min(0).max(1e9) }),
]);
export type CampaignValue = z.infer<typeof campaignValueSchema>;

export const segmentFilterSchema = z.object({
  column: z.string().min(1).max(200),
  value: z.string().max(500),
});

export const campaignInputsSchema = z.object({
  datasetId: z.number().int().positive(),
  /** Cost of the offer for every customer contacted, in the organisation's currency. */
  offerCost: z.number().min(0, "The offer cannot cost less than nothing").max(1e6),
  /** Share of would-be leavers who accept the offer and stay (0..1]. */
  acceptanceRate: z.number().gt(0, "Enter an acceptance rate above 0 %").max(1, "At most 100 %"),
  value: campaignValueSchema,
  /** Total spend cap; null = no cap. */
  budget: z.number().positive("Enter a budget above 0, or leave it empty").max(1e12).nullable().default(null),
  /** Only customers matching these categorical values (same column twice = either value). */
  filters: z.array(segmentFilterSchema).max(20).default([]),
  ranking: z.enum(CONTACT_RANKINGS).default("risk"),
  /** Contact this many instead of the most profitable number (at most the budget allows). */
  contactCount: z.number().int().min(0).max(10_000_000).nullable().default(null),
});
export type CampaignInputs = z.output<typeof campaignInputsSchema>;
export type CampaignInputsInput = z.input<typeof campaignInputsSchema>;

export const saveCampaignSchema = z.object({
  name: z.string().trim().min(1, "Give the plan a name").max(120, "At most 120 characters"),
  inputs: campaignInputsSchema,
});
