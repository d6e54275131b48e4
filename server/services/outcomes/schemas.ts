/** Inputs of the retention-outcomes procedures (zod only, so forms can import them). */
import { z } from "zod";
import { OUTCOMES } from "../../db/schema";

const id = z.number().int().positive();

const assignmentOptions = {
  /** Share of the targets drawn into the hold-out group (no action). */
  holdoutShare: z.number().min(0).max(0.5, "Hold out at most 50 %").default(0.1),
  /** Seed of the draw; a random one is chosen (and recorded) when left out. */
  seed: z.number().int().min(0).max(2_147_483_647).optional(),
  /** Owner of every action; the assigning manager when left out. */
  ownerId: id.optional(),
  /** Due this many days after assignment. */
  dueDays: z.number().int().min(1).max(365).default(14),
  /** A customer still active this many days after assignment counts as retained. */
  windowDays: z.number().int().min(7).max(730).default(90),
};

export const assignCampaignSchema = z.object({ campaignId: id, ...assignmentOptions });

export const assignSelectionSchema = z.object({
  datasetId: id,
  customerIds: z
    .array(id)
    .min(1, "Select at least one customer")
    .max(5_000, "Select at most 5,000 customers"),
  name: z.string().trim().min(1, "Give the campaign a name").max(120, "At most 120 characters"),
  offerCost: z.number().min(0).max(1e6).default(0),
  ...assignmentOptions,
});

export const campaignIdSchema = z.object({ campaignId: id });

export const OUTCOME_FILTERS = ["all", "open", "holdout", ...OUTCOMES] as const;

export const listActionsSchema = z.object({
  campaignId: id,
  filter: z.enum(OUTCOME_FILTERS).default("all"),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(10).max(100).default(25),
});

export const myActionsSchema = z.object({
  /** "open": not yet retained or churned. */
  status: z.enum(["open", "all"]).default("open"),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(10).max(100).default(25),
});

export const recordOutcomeSchema = z.object({
  actionId: id,
  outcome: z.enum(OUTCOMES),
  /** When it happened; now when left out. */
  at: z.coerce.date().optional(),
});

export const updateActionSchema = z.object({
  actionId: id,
  action: z.string().trim().min(1, "Describe the action").max(200).optional(),
  ownerId: id.nullable().optional(),
  dueDate: z.coerce.date().nullable().optional(),
});

export const importOutcomesSchema = z.object({
  campaignId: id,
  /** The CSV text: customer_id, outcome, date (header row required). */
  csv: z.string().min(1, "The file is empty").max(5_000_000, "At most 5 MB"),
});
