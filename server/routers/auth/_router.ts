import { TRPCError } from "@trpc/server";
import { signUpSchema } from "@/lib/validation/account";
import * as users from "../../services/users";
import { publicProcedure, router } from "../../trpc/init";

export const authRouter = router({
  /**
   * The same answer for a new and an already registered email (no account enumeration); the
   * browser then signs in with the same credentials, which works only for the new account.
   */
  signUp: publicProcedure.input(signUpSchema).mutation(async ({ ctx, input }) => {
    try {
      return await users.publicSignUp(ctx.db, input, ctx.ip);
    } catch (error) {
      if (error instanceof users.SignUpClosedError)
        throw new TRPCError({ code: "FORBIDDEN", message: error.message });
      throw error;
    }
  }),
});
