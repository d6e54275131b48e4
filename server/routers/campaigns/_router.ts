import {
  campaignInputsSchema,
  getCampaign,
  getCampaignSchema,
  listCampaigns,
  listCampaignsSchema,
  previewCampaign,
  saveCampaign,
  saveCampaignSchema,
} from "../../services/campaigns";
import { managerProcedure, router, viewerProcedure } from "../../trpc/init";

/** Everyone may explore plans and read saved ones; managers save them. */
export const campaignsRouter = router({
  preview: viewerProcedure
    .input(campaignInputsSchema)
    .query(({ ctx, input }) => previewCampaign(ctx.db, input)),

  /** Recomputes the plan from the stored scores and freezes its targets; audited. */
  save: managerProcedure
    .input(saveCampaignSchema)
    .mutation(({ ctx, input }) => saveCampaign(ctx.db, ctx.actor, input)),

  list: viewerProcedure.input(listCampaignsSchema).query(({ ctx, input }) => listCampaigns(ctx.db, input)),

  get: viewerProcedure.input(getCampaignSchema).query(({ ctx, input }) => getCampaign(ctx.db, input)),
});
