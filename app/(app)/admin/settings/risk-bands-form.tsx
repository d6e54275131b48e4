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

/** Percent text → probability, or NaN. */
const toProbability = (text: string) =>
  /^\d{1,2}(\.\d{1,2})?$/.test(text.trim()) ? Number(text) / 100 : Number.NaN;
const toPercent = (p: number) => String(Math.round(p * 10000) / 100);

function localProblems(medium: number, high: number): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!(medium > 0 && medium < 1)) problems.medium = "Enter a percentage between 0 and 100 (exclusive)";
  if (!(high > 0 && high < 1)) problems.high = "Enter a percentage between 0 and 100 (exclusive)";
  else if (medium >= high) problems.high = "The high band must start above the medium band";
  return problems;
}

/** Risk bands: where medium and high risk start. Used by every score, the API and the customer list. */
export function RiskBandsForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const bands = useQuery(trpc.settings.riskBands.queryOptions());
  const [medium, setMedium] = useState("");
  const [high, setHigh] = useState("");
  const [serverErrors, setServerErrors] = useState<Record<string, string[] | undefined>>({});
  useEffect(() => {
    if (bands.data) {
      setMedium(toPercent(bands.data.medium));
      setHigh(toPercent(bands.data.high));
    }
  }, [bands.data]);

  const save = useMutation(
    trpc.settings.setRiskBands.mutationOptions({
      onSuccess: (saved) => {
        toast.success(
          `Risk bands saved: medium from ${toPercent(saved.medium)} %, high from ${toPercent(saved.high)} %`,
        );
        setServerErrors({});
        queryClient.setQueryData(trpc.settings.riskBands.queryKey(), saved);
      },
      onError: (error) => {
        const fieldErrors = fieldErrorsOf(error);
        if (Object.keys(fieldErrors).length) setServerErrors(fieldErrors);
        else toast.error(error.message);
      },
    }),
  );

  const m = toProbability(medium);
  const h = toProbability(high);
  const problems = localProblems(m, h);
  const touched = bands.data && (m !== bands.data.medium || h !== bands.data.high);
  const errorOf = (field: "medium" | "high") => problems[field] ?? serverErrors[field]?.join(" ");

  return (
    <Card>
      <form
        className="flex flex-col gap-6"
        onSubmit={(event) => {
          event.preventDefault();
          if (Object.keys(problems).length === 0) save.mutate({ medium: m, high: h });
        }}
      >
        <CardHeader>
          <CardTitle>Risk bands</CardTitle>
          <CardDescription>
            A customer's churn risk is <strong>low</strong> below the medium threshold,{" "}
            <strong>medium</strong> from it, and <strong>high</strong> from the high threshold. The bands
            label every score in the app and in API answers; changes apply within a few seconds and are
            recorded in the audit log.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-6">
          {bands.isError ? (
            <p role="alert" className="text-destructive text-sm">
              Could not load the risk bands: {bands.error.message}
            </p>
          ) : bands.isPending ? (
            <div className="grid gap-4 sm:grid-cols-2">
              <Skeleton className="h-16" />
              <Skeleton className="h-16" />
            </div>
          ) : (
            <>
              <div className="grid gap-4 sm:grid-cols-2">
                {(
                  [
                    ["medium", "Medium risk starts at", medium, setMedium],
                    ["high", "High risk starts at", high, setHigh],
                  ] as const
                ).map(([field, label, value, setValue]) => (
                  <div key={field} className="space-y-2">
                    <Label htmlFor={`${ids}-${field}`}>{label}</Label>
                    <div className="flex items-center gap-2">
                      <Input
                        id={`${ids}-${field}`}
                        inputMode="decimal"
                        value={value}
                        onChange={(event) => setValue(event.target.value)}
                        aria-invalid={errorOf(field) ? true : undefined}
                        aria-describedby={errorOf(field) ? `${ids}-${field}-error` : undefined}
                        className="w-28 tabular-nums"
                      />
                      <span className="text-muted-foreground text-sm">% churn probability</span>
                    </div>
                    {errorOf(field) && (
                      <p id={`${ids}-${field}-error`} className="text-destructive text-sm">
                        {errorOf(field)}
                      </p>
                    )}
                  </div>
                ))}
              </div>
              {Object.keys(problems).length === 0 && (
                <div aria-hidden="true" className="space-y-1">
                  <div className="flex h-3 overflow-hidden rounded-full">
                    <div
                      className="bg-success transition-[width] duration-200"
                      style={{ width: `${m * 100}%` }}
                    />
                    <div
                      className="bg-warning transition-[width] duration-200"
                      style={{ width: `${(h - m) * 100}%` }}
                    />
                    <div className="flex-1 bg-destructive" />
                  </div>
                  <div className="flex justify-between text-muted-foreground text-xs tabular-nums">
                    <span>0 %</span>
                    <span>100 %</span>
                  </div>
                </div>
              )}
            </>
          )}
        </CardContent>
        <CardFooter className="justify-end gap-2">
          <Button
            type="button"
            variant="outline"
            disabled={!touched || save.isPending}
            onClick={() => {
              if (bands.data) {
                setMedium(toPercent(bands.data.medium));
                setHigh(toPercent(bands.data.high));
                setServerErrors({});
              }
            }}
          >
            Reset
          </Button>
          <Button type="submit" disabled={!touched || save.isPending || Object.keys(problems).length > 0}>
            {save.isPending ? "Saving…" : "Save risk bands"}
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
