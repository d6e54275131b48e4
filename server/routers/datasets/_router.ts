import { z } from "zod";
import * as datasets from "../../services/datasets";
import { managerProcedure, router, viewerProcedure } from "../../trpc/init";
import { mapErrors } from "./errors";

const id = z.number().int().positive();
const uploadId = z.uuid("This upload id is not valid; upload the file again.");

export const datasetsRouter = router({
  /** Every dataset with its latest version (rows, churn rate, last import). */
  list: viewerProcedure.query(({ ctx }) => datasets.listDatasets(ctx.db)),

  /** A dataset, its versions, and one version's schema and profile (default: the latest). */
  get: viewerProcedure
    .input(z.object({ id, versionId: id.optional() }))
    .query(({ ctx, input }) => mapErrors(() => datasets.getDataset(ctx.db, input.id, input.versionId))),

  /**
   * The preview of a staged upload with the user's choices applied (target, identifier, excluded
   * columns): the schema, its warnings and the problems that would block the import.
   */
  inspectUpload: managerProcedure
    .input(
      z.object({
        uploadId,
        overrides: datasets.columnOverridesInputSchema,
      }),
    )
    .query(({ ctx, input }) =>
      mapErrors(async () => {
        const { scan: _scan, ...preview } = await datasets.inspectStagedUpload(
          input.uploadId,
          ctx.actor,
          input.overrides,
        );
        return preview;
      }),
    ),

  /** Imports a staged upload as a new dataset, or as the next version of the one with that name. */
  import: managerProcedure
    .input(datasets.importDatasetInputSchema)
    .mutation(({ ctx, input }) => mapErrors(() => datasets.importDataset(ctx.db, ctx.actor, input))),

  /** Drops a staged upload the user decided not to import. */
  discardUpload: managerProcedure
    .input(z.object({ uploadId }))
    .mutation(({ ctx, input }) => mapErrors(() => datasets.discardUpload(input.uploadId, ctx.actor))),

  /** Deletes a dataset with its versions, customers, models and files (managers and admins). */
  delete: managerProcedure
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => mapErrors(() => datasets.deleteDataset(ctx.db, ctx.actor, input.id))),
});
