import { z } from "zod";
import { checkDriftNow, getDriftOverview, getDriftReport, listDriftAlerts } from "../../services/drift";
import { managerProcedure, router, viewerProcedure } from "../../trpc/init";

const datasetInput = z.object({ datasetId: z.number().int().positive() });

/** Everyone reads drift; managers start a check ("Check now", audited). */
export const driftRouter = router({
  overview: viewerProcedure
    .input(datasetInput)
    .query(({ ctx, input }) => getDriftOverview(ctx.db, input.datasetId)),

  report: viewerProcedure
    .input(z.object({ reportId: z.number().int().positive() }))
    .query(({ ctx, input }) => getDriftReport(ctx.db, input.reportId)),

  alerts: viewerProcedure.query(({ ctx }) => listDriftAlerts(ctx.db)),

  checkNow: managerProcedure
    .input(datasetInput)
    .mutation(({ ctx, input }) => checkDriftNow(ctx.db, ctx.actor, input.datasetId)),
});
