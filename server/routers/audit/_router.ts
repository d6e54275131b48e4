import { z } from "zod";
import * as audit from "../../services/audit";
import { adminProcedure, router } from "../../trpc/init";

export const auditRouter = router({
  list: adminProcedure
    .input(
      z.object({
        limit: z.number().int().min(1).max(200).default(50),
        beforeId: z.number().int().positive().optional(),
        action: z.string().max(100).optional(),
      }),
    )
    .query(({ ctx, input }) => audit.listAudit(ctx.db, input)),

  actions: adminProcedure.query(({ ctx }) => audit.listAuditActions(ctx.db)),
});
