import { signUpSchema } from "@/lib/validation/account";
import * as users from "../../services/users";
import { publicProcedure, router } from "../../trpc/init";

export const authRouter = router({
  /** Creates the account; the browser then signs in with the same credentials. */
  signUp: publicProcedure.input(signUpSchema).mutation(async ({ ctx, input }) => {
    const user = await users.signUp(ctx.db, input);
    return { id: user.id, email: user.email, role: user.role };
  }),
});
