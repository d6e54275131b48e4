import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import "next-auth/jwt";
import Cognito from "next-auth/providers/cognito";
import Credentials from "next-auth/providers/credentials";
import { signInSchema } from "@/lib/validation/account";
import { getDb } from "../db/client";
import type { Role } from "../db/schema";
import { serverEnv } from "../env";
import { logger } from "../log";
import { authenticate, findOrCreateOidcUser, signOutEverywhere } from "../services/users";
import { checkOidcSignIn } from "./oidc";
import { requestIp } from "./request-ip";
import { authSecret } from "./secret";

declare module "next-auth" {
  interface Session {
    user: { id: string; role: Role; name?: string | null; email?: string | null; sessionVersion?: number };
  }
  interface User {
    role?: Role;
    sessionVersion?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    /** The user's session version when this cookie was issued (server/auth/session-user.ts). */
    sv?: number;
  }
}

/** Surfaces as `code` on the client's signIn() result so the form can say why. */
class LockedOutError extends CredentialsSignin {
  constructor(minutes: number) {
    super();
    this.code = `locked:${minutes}`;
  }
}

class DeactivatedError extends CredentialsSignin {
  code = "deactivated";
}

function providers(): NextAuthConfig["providers"] {
  const env = serverEnv();
  const list: NextAuthConfig["providers"] = [
    Credentials({
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(raw, request) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) return null;
        const db = await getDb();
        const result = await authenticate(db, parsed.data, requestIp(request?.headers), {
          maxFailures: env.AUTH_MAX_FAILED_SIGN_INS,
          lockoutMinutes: env.AUTH_LOCKOUT_MINUTES,
        });
        if (result.ok) {
          return {
            id: String(result.user.id),
            email: result.user.email,
            name: result.user.name,
            role: result.user.role,
            sessionVersion: result.user.sessionVersion,
          };
        }
        if (result.reason === "locked") throw new LockedOutError(result.retryInMinutes);
        if (result.reason === "deactivated") throw new DeactivatedError();
        return null;
      },
    }),
  ];
  if (env.AUTH_COGNITO_ID && env.AUTH_COGNITO_SECRET && env.AUTH_COGNITO_ISSUER) {
    list.push(
      Cognito({
        clientId: env.AUTH_COGNITO_ID,
        clientSecret: env.AUTH_COGNITO_SECRET,
        issuer: env.AUTH_COGNITO_ISSUER,
      }),
    );
  }
  return list;
}

/** A session lasts 12 hours from its last refresh (proxy.ts refreshes it at most once an hour). */
export const SESSION_MAX_AGE_S = 60 * 60 * 12;

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/sign-in" },
  logger: {
    // A wrong password is an expected outcome (throttled and audited), not a server error.
    error(error) {
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      logger("auth").error({ err: error }, "Auth.js reported an error");
    },
  },
  providers: providers(),
  events: {
    // Sign-out ends every session of the user, not only this cookie: a copy of it (or of any
    // other session of theirs) is refused from the next request on.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      const userId = Number(token?.uid);
      if (!token || !Number.isInteger(userId) || typeof token.sv !== "number") return;
      await signOutEverywhere(await getDb(), { userId, sessionVersion: token.sv }, null);
    },
  },
  callbacks: {
    async signIn({ user, account, profile }) {
      if (!account || account.provider === "credentials") return true;
      // Linking by e-mail only when the provider verified the address (server/auth/oidc.ts).
      return checkOidcSignIn(await getDb(), { email: user.email, profile });
    },
    async jwt({ token, user, account }) {
      if (account && account.provider !== "credentials" && user?.email) {
        // Single sign-on: the identity provider vouches for the email; the role is ours.
        const db = await getDb();
        const local = await findOrCreateOidcUser(db, { email: user.email, name: user.name ?? user.email });
        token.uid = String(local.id);
        token.role = local.role;
        token.sv = local.sessionVersion;
        return token;
      }
      if (user?.id) {
        token.uid = user.id;
        token.role = user.role;
        token.sv = user.sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      if (token.uid) {
        session.user.id = token.uid;
        session.user.role = token.role ?? "viewer";
        session.user.sessionVersion = token.sv;
      }
      return session;
    },
  },
});
