"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
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

const FIELDS = [
  { name: "name", label: "Name", type: "text", autoComplete: "name" },
  { name: "email", label: "Work email", type: "email", autoComplete: "email" },
  { name: "password", label: "Password", type: "password", autoComplete: "new-password" },
] as const;

export function SignUpForm({ isFirstAccount }: { isFirstAccount: boolean }) {
  const hydrated = useHydrated();
  const router = useRouter();
  const trpc = useTRPC();
  const [formError, setFormError] = useState<string | null>(null);
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const fieldErrors = fieldErrorsOf(signUp.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    };
    try {
      await signUp.mutateAsync(input);
    } catch (error) {
      if (Object.keys(fieldErrorsOf(error)).length === 0)
        setFormError(error instanceof Error ? error.message : "Could not create the account. Try again.");
      return;
    }
    const result = await signIn("credentials", {
      email: input.email,
      password: input.password,
      redirect: false,
    });
    if (!result || result.error) {
      // The same words whether or not the email already had an account (no enumeration).
      setFormError(
        "We could not sign you in with these details. If you already have an account with this email, sign in with your existing password.",
      );
      return;
    }
    router.replace("/dashboard");
    router.refresh();
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">Create your account</CardTitle>
        <CardDescription>
          {isFirstAccount
            ? "You are the first person here: this account becomes the admin of your ChurnGuard."
            : "New accounts start as viewers until an admin gives them a role."}
        </CardDescription>
      </CardHeader>
      <form method="post" onSubmit={onSubmit} noValidate>
        <CardContent className="space-y-4">
          {formError && (
            <Alert variant="destructive" role="alert">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          )}
          {FIELDS.map((field) => {
            const errors = fieldErrors[field.name];
            const errorId = `${field.name}-error`;
            return (
              <div key={field.name} className="space-y-2">
                <Label htmlFor={field.name}>{field.label}</Label>
                <Input
                  id={field.name}
                  name={field.name}
                  type={field.type}
                  autoComplete={field.autoComplete}
                  aria-invalid={errors ? true : undefined}
                  aria-describedby={errors ? errorId : undefined}
                  required
                />
                {errors ? (
                  <p id={errorId} className="text-destructive text-sm">
                    {errors[0]}
                  </p>
                ) : field.name === "password" ? (
                  <p className="text-muted-foreground text-xs">At least {PASSWORD_MIN_LENGTH} characters.</p>
                ) : null}
              </div>
            );
          })}
        </CardContent>
        <CardFooter className="mt-6 flex flex-col gap-3">
          <Button type="submit" className="w-full" disabled={signUp.isPending || !hydrated}>
            {signUp.isPending ? "Creating account…" : "Create account"}
          </Button>
          <p className="text-muted-foreground text-sm">
            Already have an account?{" "}
            <Link href="/sign-in" className="font-medium text-primary underline-offset-4 hover:underline">
              Sign in
            </Link>
          </p>
        </CardFooter>
      </form>
    </Card>
  );
}
