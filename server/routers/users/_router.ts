import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { ROLES } from "../../db/schema";
import * as users from "../../services/users";
import { adminProcedure, router } from "../../trpc/init";

export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => users.listUsers(ctx.db)),

  setRole: adminProcedure
    .input(z.object({ userId: z.number().int().positive(), role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      try {
        return await users.setRole(ctx.db, ctx.actor, input.userId, input.role);
      } catch (error) {
        if (error instanceof users.LastAdminError)
          throw new TRPCError({ code: "CONFLICT", message: error.message });
        if (error instanceof users.UserNotFoundError)
          throw new TRPCError({ code: "NOT_FOUND", message: error.message });
        throw error;
      }
    }),
});
