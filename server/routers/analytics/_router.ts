import {
  analyseRetention,
  analyticsOverview,
  exploreSegments,
  listAnalyticsDatasets,
  overviewInputSchema,
  retentionInputSchema,
  riskTrend,
  riskTrendInputSchema,
  segmentsInputSchema,
} from "../../services/analytics";
import { router, viewerProcedure } from "../../trpc/init";

/** Every signed-in role reads analytics. */
export const analyticsRouter = router({
  datasets: viewerProcedure.query(({ ctx }) => listAnalyticsDatasets(ctx.db)),

  overview: viewerProcedure
    .input(overviewInputSchema)
    .query(({ ctx, input }) => analyticsOverview(ctx.db, input.datasetId)),

  /** One or two columns; numeric ones in quantile bins. */
  segments: viewerProcedure
    .input(segmentsInputSchema)
    .query(({ ctx, input }) => exploreSegments(ctx.db, input)),

  /** Kaplan–Meier curves over the tenure-like column, overall and per segment. */
  retention: viewerProcedure
    .input(retentionInputSchema)
    .query(({ ctx, input }) => analyseRetention(ctx.db, input)),

  /** Mean risk and high-risk customers per model version and scored file. */
  riskTrend: viewerProcedure.input(riskTrendInputSchema).query(({ ctx, input }) => riskTrend(ctx.db, input)),
});
