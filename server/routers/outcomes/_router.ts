import { z } from "zod";
import {
  actionOwners,
  assignCampaign,
  assignCampaignSchema,
  assignSelection,
  assignSelectionSchema,
  campaignIdSchema,
  campaignResults,
  importOutcomesCsv,
  importOutcomesSchema,
  listActions,
  listActionsSchema,
  myActions,
  myActionsSchema,
  recordOutcome,
  recordOutcomeSchema,
  resolveFromNewerData,
  updateAction,
  updateActionSchema,
} from "../../services/outcomes";
import { managerProcedure, router, viewerProcedure } from "../../trpc/init";

/** Everyone sees actions, outcomes and results; managers assign, edit and record outcomes. */
export const outcomesRouter = router({
  results: viewerProcedure
    .input(campaignIdSchema)
    .query(({ ctx, input }) => campaignResults(ctx.db, input.campaignId)),

  actions: viewerProcedure.input(listActionsSchema).query(({ ctx, input }) => listActions(ctx.db, input)),

  /** The signed-in user's work queue (viewers own no actions, so theirs is empty). */
  mine: viewerProcedure
    .input(myActionsSchema)
    .query(({ ctx, input }) => myActions(ctx.db, ctx.user.id, input)),

  owners: viewerProcedure.input(z.object({}).optional()).query(({ ctx }) => actionOwners(ctx.db)),

  /** Draws the seeded hold-out and writes one action row per active target; audited. */
  assign: managerProcedure
    .input(assignCampaignSchema)
    .mutation(({ ctx, input }) => assignCampaign(ctx.db, ctx.actor, input)),

  assignSelection: managerProcedure
    .input(assignSelectionSchema)
    .mutation(({ ctx, input }) => assignSelection(ctx.db, ctx.actor, input)),

  updateAction: managerProcedure
    .input(updateActionSchema)
    .mutation(({ ctx, input }) => updateAction(ctx.db, ctx.actor, input)),

  record: managerProcedure
    .input(recordOutcomeSchema)
    .mutation(({ ctx, input }) => recordOutcome(ctx.db, ctx.actor, input)),

  importCsv: managerProcedure
    .input(importOutcomesSchema)
    .mutation(({ ctx, input }) => importOutcomesCsv(ctx.db, ctx.actor, input)),

  /** Outcomes from the newest later version of the dataset (churned there, or still active after the window). */
  fromNewerData: managerProcedure
    .input(campaignIdSchema)
    .mutation(({ ctx, input }) => resolveFromNewerData(ctx.db, ctx.actor, input.campaignId)),
});
