import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { columnRecord, columnRecordOf } from "@/lib/column-record";
import { MAX_COLUMN_NAME_LENGTH, MAX_COLUMNS } from "@/lib/ml/data";
import { FieldValidationError } from "../../errors";
import { loadPredictor, NoChampionError, PredictionInputError } from "../../services/predictions";
import * as retention from "../../services/retention";
import { router, viewerProcedure } from "../../trpc/init";

const datasetId = z.number().int().positive();
const cell = z.union([z.string().max(1_000), z.number(), z.boolean(), z.null()]);
/**
 * One customer as [column, value] pairs: column names are data ("constructor", "__proto__"), which
 * superjson refuses as object keys. Names are as long as a CSV header allows; the pipeline reports
 * an unknown one.
 */
const customer = z
  .array(z.tuple([z.string().max(MAX_COLUMN_NAME_LENGTH), cell]))
  .max(MAX_COLUMNS)
  .transform((pairs) => columnRecordOf(pairs));

/**
 * The service's errors a person can act on, as tRPC errors: a bad field becomes BAD_REQUEST with
 * field errors (shown next to the field), a missing champion NOT_FOUND / PRECONDITION_FAILED.
 */
async function mapErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof PredictionInputError) {
      const fieldErrors = columnRecord<string[]>();
      for (const issue of error.issues) {
        const field = issue.field || "customer";
        fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message];
      }
      throw new FieldValidationError(fieldErrors);
    }
    if (error instanceof NoChampionError) {
      throw new TRPCError({
        code: error.reason === "no_dataset" ? "NOT_FOUND" : "PRECONDITION_FAILED",
        message: error.message,
        cause: error,
      });
    }
    throw error;
  }
}

export const predictionsRouter = router({
  /** Datasets whose champion can score a what-if (for the selector). */
  datasets: viewerProcedure.query(({ ctx }) => retention.listPredictDatasets(ctx.db)),

  /** The champion's inputs as a form, with a typical customer as defaults, bands and base rate. */
  form: viewerProcedure
    .input(z.object({ datasetId }))
    .query(({ ctx, input }) => mapErrors(() => retention.getPredictForm(ctx.db, input.datasetId))),

  /** Scores one customer: prediction, reasons, playbook actions and next-best action. */
  predict: viewerProcedure.input(z.object({ datasetId, customer })).query(({ ctx, input }) =>
    mapErrors(async () => {
      const predictor = await loadPredictor(ctx.db, input.datasetId);
      return retention.buildCustomerInsight(ctx.db, predictor, input.customer);
    }),
  ),
});
