"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { toast } from "sonner";
import { fieldErrorsOf, useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";

type Key = "scoredFilesDays" | "reportsDays" | "apiLogsDays";
const FIELDS: { key: Key; label: string; help: string }[] = [
  {
    key: "scoredFilesDays",
    label: "Scored files",
    help: "Files uploaded for batch scoring and their scored rows, counted from when scoring finished.",
  },
  { key: "reportsDays", label: "Reports", help: "Generated PDF reports, counted from when they were made." },
  {
    key: "apiLogsDays",
    label: "API call logs",
    help: "The per-call log of the REST API (key, endpoint, status, latency; never customer data).",
  },
];

type Draft = Record<Key, { days: string; isForever: boolean }>;

function problemOf(entry: { days: string; isForever: boolean }): string | null {
  if (entry.isForever) return null;
  if (!/^\d+$/.test(entry.days.trim())) return "Enter whole days";
  const days = Number(entry.days);
  if (days < 1) return "At least 1 day";
  if (days > 3650) return "At most 3,650 days (10 years)";
  return null;
}

/** How long generated data is kept; the nightly clean-up (03:17 UTC) deletes what is older. */
export function DataRetentionForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const current = useQuery(trpc.settings.dataRetention.queryOptions());
  const [draft, setDraft] = useState<Draft | null>(null);
  const [serverErrors, setServerErrors] = useState<Record<string, string[] | undefined>>({});
  useEffect(() => {
    if (!current.data) return;
    const value = current.data;
    setDraft(
      Object.fromEntries(
        FIELDS.map(({ key }) => [
          key,
          { days: value[key] === null ? "" : String(value[key]), isForever: value[key] === null },
        ]),
      ) as Draft,
    );
  }, [current.data]);
  const save = useMutation(
    trpc.settings.setDataRetention.mutationOptions({
      onSuccess: (saved) => {
        toast.success("Data retention saved; the nightly clean-up applies it.");
        setServerErrors({});
        queryClient.setQueryData(trpc.settings.dataRetention.queryKey(), saved);
      },
      onError: (error) => {
        setServerErrors(fieldErrorsOf(error));
        toast.error(error.message.startsWith("[") ? "Check the highlighted fields." : error.message);
      },
    }),
  );
  const problems = draft ? FIELDS.map(({ key }) => problemOf(draft[key])) : [];
  const isValid = problems.every((p) => p === null);
  const value = draft
    ? (Object.fromEntries(
        FIELDS.map(({ key }) => [key, draft[key].isForever ? null : Number(draft[key].days)]),
      ) as Record<Key, number | null>)
    : null;
  const isChanged =
    value && current.data ? FIELDS.some(({ key }) => value[key] !== current.data?.[key]) : false;

  return (
    <Card>
      <form
        className="flex flex-col gap-6"
        onSubmit={(event) => {
          event.preventDefault();
          if (value && isValid) save.mutate(value);
        }}
      >
        <CardHeader>
          <CardTitle>Data retention</CardTitle>
          <CardDescription>
            How long generated data is kept. The nightly clean-up (03:17 UTC) deletes anything older, files
            included; work still running is never touched. Datasets and models are kept until someone deletes
            them.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-5">
          {!draft ? (
            <Skeleton className="h-36 w-full" />
          ) : (
            FIELDS.map(({ key, label, help }, i) => {
              const problem = problems[i] ?? serverErrors[key]?.join(" ") ?? null;
              return (
                <div key={key} className="grid gap-2 sm:grid-cols-[10rem_1fr] sm:items-start">
                  <Label htmlFor={`${id}-${key}`} className="pt-2">
                    {label}
                  </Label>
                  <div className="space-y-1.5">
                    <div className="flex flex-wrap items-center gap-3">
                      <Input
                        id={`${id}-${key}`}
                        inputMode="numeric"
                        className="w-28 tabular-nums"
                        value={draft[key].days}
                        disabled={draft[key].isForever}
                        aria-invalid={problem ? true : undefined}
                        aria-describedby={`${id}-${key}-help`}
                        onChange={(e) =>
                          setDraft({ ...draft, [key]: { ...draft[key], days: e.target.value } })
                        }
                      />
                      <span className="text-muted-foreground text-sm">days</span>
                      <div className="flex items-center gap-2">
                        <Checkbox
                          id={`${id}-${key}-forever`}
                          checked={draft[key].isForever}
                          onCheckedChange={(checked) =>
                            setDraft({
                              ...draft,
                              [key]: { days: draft[key].days || "90", isForever: checked === true },
                            })
                          }
                        />
                        <Label htmlFor={`${id}-${key}-forever`} className="font-normal text-sm">
                          Keep until deleted
                        </Label>
                      </div>
                    </div>
                    <p id={`${id}-${key}-help`} className="text-muted-foreground text-xs">
                      {help}
                    </p>
                    {problem && (
                      <p role="alert" className="text-destructive text-sm">
                        {problem}
                      </p>
                    )}
                  </div>
                </div>
              );
            })
          )}
        </CardContent>
        <CardFooter className="justify-end">
          <Button type="submit" disabled={!isChanged || !isValid || save.isPending}>
            {save.isPending ? "Saving…" : "Save data retention"}
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
