import { z } from "zod";
import * as audit from "../../services/audit";
import { adminProcedure, router } from "../../trpc/init";

export const auditRouter = router({
  list: adminProcedure
    .input(
      z.object({
        limit: z.number().int().min(1).max(200).default(50),
        /** Keyset cursor: the id of the oldest entry already shown (tRPC infinite queries call it cursor). */
        cursor: z.number().int().positive().nullish(),
        action: z.string().max(100).optional(),
      }),
    )
    .query(({ ctx, input }) =>
      audit.listAudit(ctx.db, {
        limit: input.limit,
        action: input.action,
        beforeId: input.cursor ?? undefined,
      }),
    ),

  actions: adminProcedure.query(({ ctx }) => audit.listAuditActions(ctx.db)),
});
