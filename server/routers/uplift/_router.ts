import {
  fitUplift,
  upliftDatasetSchema,
  upliftRanking,
  upliftRankingSchema,
  upliftStatus,
} from "../../services/uplift";
import { managerProcedure, router, viewerProcedure } from "../../trpc/init";

/** Everyone sees the uplift model, its Qini result and the ranking; managers fit it. */
export const upliftRouter = router({
  status: viewerProcedure
    .input(upliftDatasetSchema)
    .query(({ ctx, input }) => upliftStatus(ctx.db, input.datasetId)),

  ranking: viewerProcedure.input(upliftRankingSchema).query(({ ctx, input }) => upliftRanking(ctx.db, input)),

  /** Fits a new T-learner from every recorded outcome of the dataset; audited. */
  fit: managerProcedure
    .input(upliftDatasetSchema)
    .mutation(({ ctx, input }) => fitUplift(ctx.db, ctx.actor, input.datasetId)),
});
