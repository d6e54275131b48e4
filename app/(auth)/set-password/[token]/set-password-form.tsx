"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { useHydrated } from "@/components/hooks/use-hydrated";
import { fieldErrorsOf, useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PASSWORD_MIN_LENGTH } from "@/lib/validation/account";

export function SetPasswordForm({ token, name, email }: { token: string; name: string; email: string }) {
  const hydrated = useHydrated();
  const router = useRouter();
  const trpc = useTRPC();
  const setPassword = useMutation(trpc.auth.setPassword.mutationOptions());
  const [formError, setFormError] = useState<string | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const passwordErrors = fieldErrorsOf(setPassword.error).password;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    let signInEmail: string;
    try {
      ({ email: signInEmail } = await setPassword.mutateAsync({ token, password }));
    } catch (error) {
      if (!fieldErrorsOf(error).password)
        setFormError(error instanceof Error ? error.message : "Could not save.");
      return;
    }
    const result = await signIn("credentials", { email: signInEmail, password, redirect: false });
    router.replace(!result || result.error ? "/sign-in" : "/dashboard");
    router.refresh();
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">Welcome, {name.split(/\s+/)[0]}</CardTitle>
        <CardDescription>
          Choose a password for <span className="font-medium text-foreground">{email}</span>. This link works
          once.
        </CardDescription>
      </CardHeader>
      <form method="post" onSubmit={onSubmit} noValidate>
        <CardContent className="space-y-4">
          {formError && (
            <Alert variant="destructive" role="alert">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          )}
          <div className="space-y-2">
            <Label htmlFor="password">New password</Label>
            <Input
              id="password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              autoFocus
              aria-invalid={passwordErrors ? true : undefined}
              aria-describedby="password-help"
            />
            <p
              id="password-help"
              className={passwordErrors ? "text-destructive text-sm" : "text-muted-foreground text-xs"}
            >
              {passwordErrors?.[0] ??
                `At least ${PASSWORD_MIN_LENGTH} characters; a few unrelated words work well.`}
            </p>
          </div>
          <div className="space-y-2">
            <Label htmlFor="confirm">Repeat the password</Label>
            <Input
              id="confirm"
              name="confirm"
              type="password"
              autoComplete="new-password"
              required
              aria-invalid={mismatch ? true : undefined}
              aria-describedby={mismatch ? "confirm-error" : undefined}
            />
            {mismatch && (
              <p id="confirm-error" className="text-destructive text-sm">
                The two passwords are not the same
              </p>
            )}
          </div>
        </CardContent>
        <CardFooter className="mt-6">
          <Button type="submit" className="w-full" disabled={setPassword.isPending || !hydrated}>
            {setPassword.isPending ? "Saving…" : "Save password and sign in"}
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
