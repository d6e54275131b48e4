import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { ROLES } from "../../db/schema";
import { mailPasswordLink } from "../../services/mail";
import { getSetting, SIGN_UP_SETTING, setSetting } from "../../services/settings";
import * as users from "../../services/users";
import { adminProcedure, router } from "../../trpc/init";

const userId = z.number().int().positive();
/** The admin's page origin: the e-mailed link's address when AUTH_URL is not set (as on the page). */
const pageOrigin = z
  .url({ protocol: /^https?$/ })
  .max(300)
  .optional();

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

  /**
   * A new account without a password, and its one-time set-password link (shown once; also
   * e-mailed to the person when SMTP is configured: `emailed`).
   */
  create: adminProcedure
    .input(users.createUserSchema.extend({ pageOrigin }))
    .mutation(async ({ ctx, input }) => {
      const { pageOrigin: origin, ...fields } = input;
      const { user, link } = await users.createUserWithLink(ctx.db, ctx.actor, fields);
      const emailed = await mailPasswordLink(ctx.db, {
        email: user.email,
        name: user.name,
        ...link,
        isReset: false,
        pageOrigin: origin,
      });
      return { user, link: linkAnswer(link), emailed };
    }),

  /** The old password stops working and every session ends; the user sets a new one via the link. */
  resetPassword: adminProcedure.input(z.object({ userId, pageOrigin })).mutation(({ ctx, input }) =>
    answering(async () => {
      const link = await users.resetPassword(ctx.db, ctx.actor, input.userId);
      const user = await users.getUserById(ctx.db, input.userId);
      const emailed = user
        ? await mailPasswordLink(ctx.db, {
            email: user.email,
            name: user.name,
            ...link,
            isReset: true,
            pageOrigin: input.pageOrigin,
          })
        : false;
      return { ...linkAnswer(link), emailed };
    }),
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
