import { TRPCError } from "@trpc/server";
import { z } from "zod";
import * as apiKeys from "../../services/api-keys";
import { listApiExampleDatasets } from "../../services/rest-api/examples";
import { adminProcedure, router, viewerProcedure } from "../../trpc/init";

export const apiKeysRouter = router({
  /** Every key with its use in the last 24 hours; never a secret or a hash. */
  list: adminProcedure.query(({ ctx }) => apiKeys.listApiKeys(ctx.db)),

  /** The latest failed API calls (status and error code only). */
  recentErrors: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(50).default(10) }).optional())
    .query(({ ctx, input }) => apiKeys.listRecentApiErrors(ctx.db, input?.limit ?? 10)),

  /** Creates a key; the answer holds the secret, which is never shown again. */
  create: adminProcedure
    .input(apiKeys.createApiKeyInputSchema)
    .mutation(({ ctx, input }) => apiKeys.createApiKey(ctx.db, ctx.actor, input)),

  revoke: adminProcedure
    .input(z.object({ id: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) => {
      try {
        return { id: input.id, revokedAt: await apiKeys.revokeApiKey(ctx.db, ctx.actor, input.id) };
      } catch (error) {
        if (error instanceof apiKeys.ApiKeyNotFoundError)
          throw new TRPCError({ code: "NOT_FOUND", message: error.message });
        throw error;
      }
    }),

  /** For the API page (every signed-in user): datasets with a champion and a working example customer. */
  examples: viewerProcedure.query(({ ctx }) => listApiExampleDatasets(ctx.db)),
});
