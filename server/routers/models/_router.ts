import { z } from "zod";
import * as models from "../../services/models";
import { hasRole, managerProcedure, router, viewerProcedure } from "../../trpc/init";

const id = z.number().int().positive();

export const modelsRouter = router({
  /** The leaderboard, sorted and filtered in the database. */
  list: viewerProcedure
    .input(models.listModelsInputSchema.optional())
    .query(({ ctx, input }) => models.listModels(ctx.db, input ?? {})),

  /** Datasets that have models (for the leaderboard's filter). */
  datasets: viewerProcedure.query(({ ctx }) => models.listModelDatasets(ctx.db)),

  /** Metrics, curves, importance, parameters and lineage of one model. */
  get: viewerProcedure
    .input(z.object({ modelId: id }))
    .query(({ ctx, input }) =>
      models.getModel(ctx.db, input.modelId, { includeEmails: hasRole(ctx.user, "admin") }),
    ),

  compare: viewerProcedure
    .input(z.object({ a: id, b: id }))
    .query(({ ctx, input }) =>
      models.compareModels(ctx.db, input.a, input.b, { includeEmails: hasRole(ctx.user, "admin") }),
    ),

  /** Makes a model its dataset's champion; the current champion is archived. */
  promote: managerProcedure
    .input(z.object({ modelId: id }))
    .mutation(({ ctx, input }) => models.promoteModel(ctx.db, ctx.actor, input.modelId)),

  /** Back to the previous champion of the dataset (or to the given earlier model). */
  rollback: managerProcedure
    .input(z.object({ datasetId: id, toModelId: id.optional() }))
    .mutation(({ ctx, input }) => models.rollbackModel(ctx.db, ctx.actor, input)),
});
