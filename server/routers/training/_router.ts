import { z } from "zod";
import * as training from "../../services/training";
import { managerProcedure, router, viewerProcedure } from "../../trpc/init";

const id = z.number().int().positive();

export const trainingRouter = router({
  /** Starts a run on a dataset version (CONFLICT while the dataset has an active run). */
  start: managerProcedure
    .input(training.startTrainingInputSchema)
    .mutation(({ ctx, input }) => training.startTraining(ctx.db, ctx.actor, input)),

  /** Cancels a queued run at once, a running one before its next step. */
  cancel: managerProcedure
    .input(z.object({ runId: id }))
    .mutation(({ ctx, input }) => training.cancelTraining(ctx.db, ctx.actor, input.runId)),

  /** A run with its steps and each model's metrics (the state a reloaded page starts from). */
  get: viewerProcedure
    .input(z.object({ runId: id }))
    .query(({ ctx, input }) => training.getRun(ctx.db, input.runId)),

  /** Recent runs, newest first. */
  list: viewerProcedure
    .input(
      z.object({ datasetId: id.optional(), limit: z.number().int().min(1).max(100).optional() }).optional(),
    )
    .query(({ ctx, input }) => training.listRuns(ctx.db, input ?? {})),
});
