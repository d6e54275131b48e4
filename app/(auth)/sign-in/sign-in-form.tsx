"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { useHydrated } from "@/components/hooks/use-hydrated";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

function messageFor(code: string | undefined | null): string {
  const locked = code?.match(/^locked:(\d+)$/);
  if (locked) {
    return `Too many failed sign-ins. For your security, try again in ${locked[1]} minute${locked[1] === "1" ? "" : "s"}.`;
  }
  if (code === "deactivated") return "This account has been deactivated. Ask an admin to reactivate it.";
  if (code === "email-not-verified") {
    return "Your identity provider has not verified your e-mail address. Verify it there, then sign in again.";
  }
  return "Email or password is incorrect.";
}

export function SignInForm({
  callbackPath,
  canSignUp,
  initialErrorCode,
}: {
  callbackPath: string;
  canSignUp: boolean;
  /** Set when single sign-on sent the person back here (`/sign-in?error=<code>`). */
  initialErrorCode?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialErrorCode ? messageFor(initialErrorCode) : null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (!result || result.error) {
        setError(messageFor(result?.code));
        return;
      }
      router.replace(callbackPath);
      router.refresh();
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">Sign in</CardTitle>
        <CardDescription>Welcome back. Sign in to see who is at risk of churning.</CardDescription>
      </CardHeader>
      <form method="post" onSubmit={onSubmit} noValidate>
        <CardContent className="space-y-4">
          {error && (
            <Alert variant="destructive" role="alert">
              <AlertDescription>{error}</AlertDescription>
            </Alert>
          )}
          <div className="space-y-2">
            <Label htmlFor="email">Email</Label>
            <Input id="email" name="email" type="email" autoComplete="email" required autoFocus />
          </div>
          <div className="space-y-2">
            <Label htmlFor="password">Password</Label>
            <Input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
        </CardContent>
        <CardFooter className="mt-6 flex flex-col gap-3">
          <Button type="submit" className="w-full" disabled={pending || !hydrated}>
            {pending ? "Signing in…" : "Sign in"}
          </Button>
          {canSignUp ? (
            <p className="text-muted-foreground text-sm">
              New to ChurnGuard?{" "}
              <Link href="/sign-up" className="font-medium text-primary underline-offset-4 hover:underline">
                Create an account
              </Link>
            </p>
          ) : (
            <p className="text-center text-muted-foreground text-sm">
              New to ChurnGuard? Ask an admin to create your account.
            </p>
          )}
        </CardFooter>
      </form>
    </Card>
  );
}
