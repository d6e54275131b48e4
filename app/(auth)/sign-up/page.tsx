import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Card, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/server/auth/current-user";
import { getDb } from "@/server/db/client";
import { countUsers, isSignUpOpen } from "@/server/services/users";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };
export const dynamic = "force-dynamic";

export default async function SignUpPage() {
  if (await getCurrentUser()) redirect("/dashboard");
  const db = await getDb();
  if (!(await isSignUpOpen(db))) return <SignUpClosed />;
  return <SignUpForm isFirstAccount={(await countUsers(db)) === 0} />;
}

function SignUpClosed() {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">Sign-up is closed</CardTitle>
        <CardDescription>
          Accounts on this ChurnGuard are created by its admins. Ask one of them to add you: they will give
          you a link to set your password.
        </CardDescription>
      </CardHeader>
      <CardFooter>
        <p className="text-muted-foreground text-sm">
          Already have an account?{" "}
          <Link href="/sign-in" className="font-medium text-primary underline-offset-4 hover:underline">
            Sign in
          </Link>
        </p>
      </CardFooter>
    </Card>
  );
}
