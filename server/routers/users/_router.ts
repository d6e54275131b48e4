import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { ROLES } from "../../db/schema";
import { getSetting, SIGN_UP_SETTING, setSetting } from "../../services/settings";
import * as users from "../../services/users";
import { adminProcedure, router } from "../../trpc/init";

const userId = z.number().int().positive();

/** The service's refusals, as answers a person can act on. */
async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof users.LastAdminError || error instanceof users.AccountStateError)
      throw new TRPCError({ code: "CONFLICT", message: error.message });
    if (error instanceof users.UserNotFoundError)
      throw new TRPCError({ code: "NOT_FOUND", message: error.message });
    throw error;
  }
}

/** A link's token and expiry, for the admin to pass on (the page builds the URL from its origin). */
const linkAnswer = (link: { token: string; expiresAt: Date }) => ({
  token: link.token,
  expiresAt: link.expiresAt,
});

export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => users.listUsers(ctx.db)),

  /** Ends the user's sessions too: they sign in again under the new role. */
  setRole: adminProcedure
    .input(z.object({ userId, role: z.enum(ROLES) }))
    .mutation(({ ctx, input }) =>
      answering(() => users.setRole(ctx.db, ctx.actor, input.userId, input.role)),
    ),

  /** A new account without a password, and its one-time set-password link (shown once). */
  create: adminProcedure.input(users.createUserSchema).mutation(async ({ ctx, input }) => {
    const { user, link } = await users.createUserWithLink(ctx.db, ctx.actor, input);
    return { user, link: linkAnswer(link) };
  }),

  /** The old password stops working and every session ends; the user sets a new one via the link. */
  resetPassword: adminProcedure
    .input(z.object({ userId }))
    .mutation(({ ctx, input }) =>
      answering(async () => linkAnswer(await users.resetPassword(ctx.db, ctx.actor, input.userId))),
    ),

  /** No sign-in, and the user's live sessions end on their next request. */
  deactivate: adminProcedure
    .input(z.object({ userId }))
    .mutation(({ ctx, input }) => answering(() => users.deactivateUser(ctx.db, ctx.actor, input.userId))),

  reactivate: adminProcedure
    .input(z.object({ userId }))
    .mutation(({ ctx, input }) => answering(() => users.reactivateUser(ctx.db, ctx.actor, input.userId))),

  /** Whether people may create their own (viewer) accounts from the sign-up page. */
  signUpSetting: adminProcedure.query(({ ctx }) => getSetting(ctx.db, SIGN_UP_SETTING, { fresh: true })),

  /** Audited as settings.update on `sign_up`. */
  setSignUpOpen: adminProcedure
    .input(z.object({ open: z.boolean() }))
    .mutation(({ ctx, input }) => setSetting(ctx.db, ctx.actor, SIGN_UP_SETTING, { open: input.open })),
});
