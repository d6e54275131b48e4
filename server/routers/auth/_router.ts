import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { newPasswordSchema, signUpSchema } from "@/lib/validation/account";
import { serverEnv } from "../../env";
import {
  describePasswordLink,
  PasswordLinkInvalidError,
  setPasswordWithLink,
} from "../../services/password-links";
import * as users from "../../services/users";
import { protectedProcedure, publicProcedure, router } from "../../trpc/init";

/** A set-password token: base64url of 32 bytes; the service refuses anything else. */
const token = z.string().min(1).max(100);

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

  /** Who a set-password link is for, or null when it has expired or was used. */
  passwordLink: publicProcedure
    .input(z.object({ token }))
    .query(({ ctx, input }) => describePasswordLink(ctx.db, input.token)),

  /** Uses the link up; the browser then signs in with the returned email and the new password. */
  setPassword: publicProcedure
    .input(z.object({ token, password: newPasswordSchema }))
    .mutation(async ({ ctx, input }) => {
      try {
        return await setPasswordWithLink(ctx.db, input.token, input.password, ctx.ip);
      } catch (error) {
        if (error instanceof PasswordLinkInvalidError)
          throw new TRPCError({ code: "NOT_FOUND", message: error.message });
        throw error;
      }
    }),

  /** Ends every session of the user, this one included: the browser signs in again. */
  changePassword: protectedProcedure.input(users.changePasswordSchema).mutation(async ({ ctx, input }) => {
    const env = serverEnv();
    try {
      await users.changeOwnPassword(ctx.db, ctx.user, input, ctx.ip, {
        maxFailures: env.AUTH_MAX_FAILED_SIGN_INS,
        lockoutMinutes: env.AUTH_LOCKOUT_MINUTES,
      });
      return { email: ctx.user.email };
    } catch (error) {
      if (error instanceof users.AccountStateError)
        throw new TRPCError({ code: "CONFLICT", message: error.message });
      throw error;
    }
  }),

  rename: protectedProcedure.input(users.renameSchema).mutation(async ({ ctx, input }) => {
    const user = await users.renameSelf(ctx.db, ctx.user, input, ctx.ip);
    return { name: user.name };
  }),
});
