import { z } from "zod";
import * as audit from "../../services/audit";
import { adminProcedure, router } from "../../trpc/init";

/** The audit page's filters (the CSV export route parses the same fields from its URL). */
const auditFilterFields = {
  action: z.string().trim().min(1).max(100).optional(),
  actor: z.string().trim().min(1).max(320).optional(),
  targetType: z.string().trim().min(1).max(60).optional(),
  targetId: z.string().trim().min(1).max(100).optional(),
  /** Inclusive start instant (the browser's local midnight, converted to UTC). */
  from: z.coerce.date().optional(),
  /** Exclusive end instant. */
  to: z.coerce.date().optional(),
};

const rangeIsOrdered = (f: { from?: Date; to?: Date }) => !f.from || !f.to || f.from < f.to;
const rangeMessage = { message: "The end of the date range must be after its start", path: ["to"] };

export const auditFilterSchema = z.object(auditFilterFields).refine(rangeIsOrdered, rangeMessage);

export const auditRouter = router({
  list: adminProcedure
    .input(
      z
        .object({
          ...auditFilterFields,
          limit: z.number().int().min(1).max(200).default(50),
          /** Keyset cursor: the id of the oldest entry already shown (tRPC infinite queries call it cursor). */
          cursor: z.number().int().positive().nullish(),
        })
        .refine(rangeIsOrdered, rangeMessage),
    )
    .query(({ ctx, input }) => {
      const { cursor, ...query } = input;
      return audit.listAudit(ctx.db, { ...query, beforeId: cursor ?? undefined });
    }),

  actions: adminProcedure.query(({ ctx }) => audit.listAuditActions(ctx.db)),

  /** Actions, actors and target types that occur in the log, for the filter menus. */
  facets: adminProcedure.query(({ ctx }) => audit.listAuditFacets(ctx.db)),
});
