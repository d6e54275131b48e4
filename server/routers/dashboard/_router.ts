import { TRPCError } from "@trpc/server";
import { z } from "zod";
import * as dashboard from "../../services/dashboard";
import { router, viewerProcedure } from "../../trpc/init";

export const dashboardRouter = router({
  /** Datasets for the selector, newest first, with whether each has a champion. */
  datasets: viewerProcedure.query(({ ctx }) => dashboard.listDashboardDatasets(ctx.db)),

  overview: viewerProcedure
    .input(z.object({ datasetId: z.number().int().positive() }))
    .query(async ({ ctx, input }) => {
      const overview = await dashboard.getDashboardOverview(ctx.db, input.datasetId);
      if (!overview)
        throw new TRPCError({ code: "NOT_FOUND", message: `Dataset ${input.datasetId} does not exist` });
      return overview;
    }),
});
