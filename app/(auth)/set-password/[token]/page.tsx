import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { getDb } from "@/server/db/client";
import { describePasswordLink } from "@/server/services/password-links";
import { SetPasswordForm } from "./set-password-form";

export const metadata: Metadata = { title: "Choose your password", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/** Where a one-time link from an admin lands: choose a password, then straight in. */
export default async function SetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await describePasswordLink(await getDb(), token);
  if (!link) {
    return (
      <Card>
        <CardHeader>
          <CardTitle className="text-xl">This link no longer works</CardTitle>
          <CardDescription>
            It has expired or has already been used. Ask an admin of your ChurnGuard for a new one.
          </CardDescription>
        </CardHeader>
        <CardFooter>
          <Link
            href="/sign-in"
            className="font-medium text-primary text-sm underline-offset-4 hover:underline"
          >
            Go to sign in
          </Link>
        </CardFooter>
      </Card>
    );
  }
  return <SetPasswordForm token={token} name={link.name} email={link.email} />;
}
