"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { formatMoney, isCurrencyCode } from "@/lib/format/money";

/** The currency of every amount: revenue at risk, campaign costs and savings, reports. */
export function CurrencyForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const current = useQuery(trpc.settings.currency.queryOptions());
  const [code, setCode] = useState("");
  const [serverError, setServerError] = useState<string | null>(null);
  useEffect(() => {
    if (current.data) setCode(current.data.code);
  }, [current.data]);
  const save = useMutation(
    trpc.settings.setCurrency.mutationOptions({
      onSuccess: (saved) => {
        toast.success(`Amounts are now shown in ${saved.code}`);
        setServerError(null);
        queryClient.setQueryData(trpc.settings.currency.queryKey(), saved);
      },
      onError: (error) => {
        const fieldErrors = fieldErrorsOf(error);
        setServerError(fieldErrors.code?.join(" ") ?? error.message);
      },
    }),
  );
  const normalized = code.trim().toUpperCase();
  const isValid = isCurrencyCode(normalized);
  const problem =
    code && !isValid ? "Enter a three-letter ISO 4217 code, such as USD, EUR or GBP" : serverError;
  const touched = current.data && normalized !== current.data.code;

  return (
    <Card>
      <form
        className="flex flex-col gap-6"
        onSubmit={(event) => {
          event.preventDefault();
          if (isValid) save.mutate({ code: normalized });
        }}
      >
        <CardHeader>
          <CardTitle>Currency</CardTitle>
          <CardDescription>
            Revenue at risk, campaign costs and savings and the PDF reports show money in this currency. It
            labels amounts only: nothing is converted.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-2">
          {current.isPending ? (
            <Skeleton className="h-16 w-64" />
          ) : (
            <>
              <Label htmlFor={`${id}-code`}>Currency code (ISO 4217)</Label>
              <div className="flex flex-wrap items-center gap-3">
                <Input
                  id={`${id}-code`}
                  value={code}
                  maxLength={3}
                  autoCapitalize="characters"
                  onChange={(event) => setCode(event.target.value)}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={`${id}-example`}
                  className="w-24 uppercase tabular-nums"
                />
                <span id={`${id}-example`} className="text-muted-foreground text-sm">
                  {isValid ? `Example: ${formatMoney(12345.6, normalized)}` : "Example appears here"}
                </span>
              </div>
              {problem && (
                <p role="alert" className="text-destructive text-sm">
                  {problem}
                </p>
              )}
            </>
          )}
        </CardContent>
        <CardFooter className="justify-end">
          <Button type="submit" disabled={!touched || !isValid || save.isPending}>
            {save.isPending ? "Saving…" : "Save currency"}
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
