import { z } from "zod";
import { JOB_STATUSES } from "../../db/schema";
import * as jobsService from "../../services/jobs";
import { adminProcedure, router } from "../../trpc/init";

const jobId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_:.-]+$/, "Not a job id");

export const jobsRouter = router({
  /** Durable jobs of the embedded runner, newest first. */
  list: adminProcedure
    .input(
      z.object({
        status: z.enum(JOB_STATUSES).optional(),
        functionId: z.string().max(100).optional(),
        limit: z.number().int().min(1).max(100).default(25),
        cursor: jobId.nullish(),
      }),
    )
    .query(({ ctx, input }) =>
      jobsService.listJobs(ctx.db, {
        status: input.status,
        functionId: input.functionId,
        limit: input.limit,
        cursor: input.cursor ?? undefined,
      }),
    ),

  /** Which executor runs jobs, and how many jobs there are per status. */
  overview: adminProcedure.query(async ({ ctx }) => ({
    executor: jobsService.activeExecutor(),
    counts: await jobsService.countJobs(ctx.db),
  })),

  retry: adminProcedure
    .input(z.object({ jobId }))
    .mutation(({ ctx, input }) => jobsService.retryJob(ctx.db, ctx.actor, input.jobId)),

  cancel: adminProcedure
    .input(z.object({ jobId }))
    .mutation(({ ctx, input }) => jobsService.cancelJob(ctx.db, ctx.actor, input.jobId)),
});
