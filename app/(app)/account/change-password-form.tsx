"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PASSWORD_MIN_LENGTH } from "@/lib/validation/account";

const FIELDS = [
  { name: "currentPassword", label: "Current password", autoComplete: "current-password" },
  { name: "newPassword", label: "New password", autoComplete: "new-password" },
] as const;

/**
 * Changing the password ends every session, this one included (a stolen session must not outlive
 * the password); the browser signs straight back in with the new one.
 */
export function ChangePasswordForm({ email }: { email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const errors = fieldErrorsOf(change.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const currentPassword = String(form.get("currentPassword") ?? "");
    const newPassword = String(form.get("newPassword") ?? "");
    if (newPassword !== String(form.get("confirmPassword") ?? "")) {
      setConfirmError("The two new passwords are not the same");
      return;
    }
    setConfirmError(null);
    try {
      await change.mutateAsync({ currentPassword, newPassword });
    } catch (error) {
      if (Object.keys(fieldErrorsOf(error)).length === 0)
        toast.error(error instanceof Error ? error.message : "Could not change the password");
      return;
    }
    const result = await signIn("credentials", { email, password: newPassword, redirect: false });
    if (!result || result.error) {
      router.replace("/sign-in");
      return;
    }
    formElement.reset();
    toast.success("Password changed. Every other device has been signed out.");
    router.refresh();
  }

  return (
    <Card>
      <form onSubmit={onSubmit} noValidate>
        <CardHeader>
          <CardTitle>Password</CardTitle>
          <CardDescription>
            At least {PASSWORD_MIN_LENGTH} characters, not a common password. Changing it signs you out on
            every other device.
          </CardDescription>
        </CardHeader>
        <CardContent className="mt-4 space-y-4">
          {FIELDS.map((field) => {
            const fieldErrors = errors[field.name];
            return (
              <div key={field.name} className="space-y-2">
                <Label htmlFor={field.name}>{field.label}</Label>
                <Input
                  id={field.name}
                  name={field.name}
                  type="password"
                  autoComplete={field.autoComplete}
                  required
                  aria-invalid={fieldErrors ? true : undefined}
                  aria-describedby={fieldErrors ? `${field.name}-error` : undefined}
                />
                {fieldErrors && (
                  <p id={`${field.name}-error`} className="text-destructive text-sm">
                    {fieldErrors[0]}
                  </p>
                )}
              </div>
            );
          })}
          <div className="space-y-2">
            <Label htmlFor="confirmPassword">Repeat the new password</Label>
            <Input
              id="confirmPassword"
              name="confirmPassword"
              type="password"
              autoComplete="new-password"
              required
              aria-invalid={confirmError ? true : undefined}
              aria-describedby={confirmError ? "confirmPassword-error" : undefined}
            />
            {confirmError && (
              <p id="confirmPassword-error" className="text-destructive text-sm">
                {confirmError}
              </p>
            )}
          </div>
        </CardContent>
        <CardFooter className="mt-4">
          <Button type="submit" disabled={change.isPending}>
            {change.isPending ? "Changing…" : "Change password"}
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
