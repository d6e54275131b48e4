import { z } from "zod";
import * as retraining from "../../services/retraining";
import { adminProcedure, hasRole, managerProcedure, router, viewerProcedure } from "../../trpc/init";

const datasetInput = z.object({ datasetId: z.number().int().positive() });

export const retrainingRouter = router({
  /** A dataset's schedule in words with its next three runs (the signing secret for managers only). */
  schedule: viewerProcedure
    .input(datasetInput)
    .query(({ ctx, input }) =>
      retraining.getSchedule(ctx.db, input.datasetId, { showSecret: hasRole(ctx.user, "manager") }),
    ),

  /** Every dataset's schedule (the admin panel's Schedules tab). */
  schedules: adminProcedure.query(({ ctx }) => retraining.listSchedules(ctx.db)),

  updateSchedule: managerProcedure
    .input(retraining.updateScheduleInputSchema)
    .mutation(({ ctx, input }) => retraining.updateSchedule(ctx.db, ctx.actor, input)),

  /** Starts the scheduled (challenger) run now. */
  runNow: managerProcedure
    .input(datasetInput)
    .mutation(({ ctx, input }) => retraining.runScheduleNow(ctx.db, ctx.actor, input.datasetId)),

  /** Challenger vs champion history of a dataset, newest first. */
  decisions: viewerProcedure
    .input(datasetInput)
    .query(({ ctx, input }) => retraining.listDecisions(ctx.db, input.datasetId)),

  approve: managerProcedure
    .input(retraining.decideInputSchema)
    .mutation(({ ctx, input }) => retraining.approveDecision(ctx.db, ctx.actor, input)),

  reject: managerProcedure
    .input(retraining.decideInputSchema)
    .mutation(({ ctx, input }) => retraining.rejectDecision(ctx.db, ctx.actor, input)),

  /** Failed scheduled runs not yet dismissed: the managers' banner. */
  failureNotices: managerProcedure.query(({ ctx }) => retraining.listFailureNotices(ctx.db)),

  dismissFailure: managerProcedure
    .input(datasetInput)
    .mutation(({ ctx, input }) => retraining.dismissFailureNotice(ctx.db, ctx.actor, input.datasetId)),
});
