"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** The name colleagues see on models, runs and the audit log. */
export function NameForm({ name: initialName }: { name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState(initialName);
  const rename = useMutation(
    trpc.auth.rename.mutationOptions({
      onSuccess: (saved) => {
        toast.success(`Your name is now ${saved.name}`);
        router.refresh();
      },
      onError: (error) => {
        if (!fieldErrorsOf(error).name) toast.error(error.message);
      },
    }),
  );
  const errors = fieldErrorsOf(rename.error).name;
  return (
    <Card>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          rename.mutate({ name });
        }}
      >
        <CardHeader>
          <CardTitle>Name</CardTitle>
          <CardDescription>Shown to colleagues on models, training runs and the audit log.</CardDescription>
        </CardHeader>
        <CardContent className="mt-4 space-y-2">
          <Label htmlFor="account-name">Name</Label>
          <Input
            id="account-name"
            value={name}
            maxLength={100}
            autoComplete="name"
            aria-invalid={errors ? true : undefined}
            aria-describedby={errors ? "account-name-error" : undefined}
            onChange={(event) => setName(event.target.value)}
          />
          {errors && (
            <p id="account-name-error" className="text-destructive text-sm">
              {errors[0]}
            </p>
          )}
        </CardContent>
        <CardFooter className="mt-4">
          <Button type="submit" disabled={rename.isPending || !name.trim() || name.trim() === initialName}>
            {rename.isPending ? "Saving…" : "Save name"}
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
