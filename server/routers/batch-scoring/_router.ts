import { TRPCError } from "@trpc/server";
import { z } from "zod";
import * as batches from "../../services/batch-scoring";
import { UploadNotFoundError } from "../../services/datasets";
import { NoChampionError } from "../../services/predictions";
import { managerProcedure, router, viewerProcedure } from "../../trpc/init";

const id = z.number().int().positive();
const uploadId = z.string().uuid();

/** Maps the service's errors a person can act on to tRPC codes; rethrows the rest. */
async function mapErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof batches.BatchNotFoundError || error instanceof UploadNotFoundError) {
      throw new TRPCError({ code: "NOT_FOUND", message: error.message, cause: error });
    }
    if (error instanceof batches.BatchStateError) {
      throw new TRPCError({ code: "CONFLICT", message: error.message, cause: error });
    }
    if (error instanceof batches.BatchFileError || error instanceof NoChampionError) {
      throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
    }
    throw error;
  }
}

export const batchScoringRouter = router({
  /** Datasets with a champion (the file is scored by it). */
  datasets: viewerProcedure.query(({ ctx }) => batches.scorableDatasets(ctx.db)),

  /** Previous batches, newest first. */
  list: viewerProcedure
    .input(batches.listBatchesInputSchema.optional())
    .query(({ ctx, input }) => batches.listBatches(ctx.db, input ?? {})),

  /** Scores a file uploaded through POST /api/score-batches with the dataset's current champion. */
  start: managerProcedure
    .input(z.object({ uploadId }))
    .mutation(({ ctx, input }) => mapErrors(() => batches.startBatch(ctx.db, ctx.actor, input.uploadId))),

  /** Forgets an uploaded file the person decided not to score. */
  discard: managerProcedure
    .input(z.object({ uploadId }))
    .mutation(({ ctx, input }) => mapErrors(() => batches.discardBatchUpload(input.uploadId, ctx.actor))),

  /** Stops a queued or running batch; its rows are removed. */
  cancel: managerProcedure
    .input(z.object({ batchId: id }))
    .mutation(({ ctx, input }) => mapErrors(() => batches.cancelBatch(ctx.db, ctx.actor, input.batchId))),
});
