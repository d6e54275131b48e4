import { z } from "zod";
import {
  getReport,
  listReports,
  listReportsSchema,
  requestReport,
  requestReportSchema,
} from "../../services/reports";
import { managerProcedure, router, viewerProcedure } from "../../trpc/init";

/** Everyone lists and downloads reports; managers generate them (audited). */
export const reportsRouter = router({
  generate: managerProcedure
    .input(requestReportSchema)
    .mutation(({ ctx, input }) => requestReport(ctx.db, ctx.actor, input)),

  list: viewerProcedure.input(listReportsSchema).query(({ ctx, input }) => listReports(ctx.db, input)),

  get: viewerProcedure
    .input(z.object({ reportId: z.number().int().positive() }))
    .query(({ ctx, input }) => getReport(ctx.db, input.reportId)),
});
