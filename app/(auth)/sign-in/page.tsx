import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { getCurrentUser } from "@/server/auth/current-user";
import { getDb } from "@/server/db/client";
import { isSignUpOpen } from "@/server/services/users";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

/** Codes single sign-on sends back (server/auth/oidc.ts); anything else in ?error= is ignored. */
const SSO_ERROR_CODES = new Set(["email-not-verified", "deactivated"]);

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackPath);
  const errorCode =
    typeof params.error === "string" && SSO_ERROR_CODES.has(params.error) ? params.error : undefined;
  return (
    <SignInForm
      callbackPath={callbackPath}
      canSignUp={await isSignUpOpen(await getDb())}
      initialErrorCode={errorCode}
    />
  );
}
