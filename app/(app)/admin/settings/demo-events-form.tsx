"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Radio, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { toast } from "sonner";
import { RelativeTime } from "@/components/format/date-time";
import { fieldErrorsOf, useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";

const MAX_PER_MINUTE = 600;
const MAX_MINUTES = 120;

/**
 * The demo event generator (server/services/events/demo.ts): realistic events for the sample
 * dataset at a bounded rate, through the same path as POST /api/v1/events, for a set time.
 */
export function DemoEventsForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const status = useQuery({ ...trpc.events.demoStatus.queryOptions(), refetchInterval: 10_000 });
  const [rate, setRate] = useState("60");
  const [minutes, setMinutes] = useState("15");
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});
  useEffect(() => {
    if (!status.data) return;
    setRate(String(status.data.eventsPerMinute));
    setMinutes(String(status.data.durationMinutes));
  }, [status.data]);

  const configure = useMutation(
    trpc.events.configureDemo.mutationOptions({
      onSuccess: (saved) => {
        setErrors({});
        queryClient.setQueryData(trpc.events.demoStatus.queryKey(), saved);
        toast.success(saved.running ? "The demo event generator is on" : "The demo event generator is off");
      },
      onError: (error) => {
        const fieldErrors = fieldErrorsOf(error);
        if (Object.keys(fieldErrors).length) setErrors(fieldErrors);
        else toast.error(error.message);
      },
    }),
  );

  const data = status.data;
  const submit = (enabled: boolean) =>
    configure.mutate({ enabled, eventsPerMinute: Number(rate), durationMinutes: Number(minutes) });

  return (
    <Card data-testid="demo-events-card">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Radio className="size-5 text-primary" aria-hidden="true" /> Demo event generator
        </CardTitle>
        <CardDescription>
          Sends realistic customer events (contract and payment changes, add-ons dropped, price changes,
          renewals) for the sample dataset through the events API, so dashboards and customer pages show risk
          moving live. It turns itself off after the time you set.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {status.isPending ? (
          <Skeleton className="h-24 w-full" />
        ) : status.isError ? (
          <Alert variant="destructive">
            <TriangleAlert aria-hidden="true" />
            <AlertDescription>{status.error.message}</AlertDescription>
          </Alert>
        ) : data ? (
          <>
            <p className="text-sm" data-testid="demo-events-state" aria-live="polite">
              {data.running && data.stopsAt ? (
                <>
                  <span className="font-medium text-emerald-600 dark:text-emerald-400">On</span> for{" "}
                  {data.dataset ? (
                    <Link
                      href={`/customers?dataset=${data.dataset.id}`}
                      className="underline underline-offset-4"
                    >
                      {data.dataset.name}
                    </Link>
                  ) : (
                    "the sample dataset"
                  )}{" "}
                  · turns off <RelativeTime value={data.stopsAt} />
                </>
              ) : (
                <span className="font-medium">Off</span>
              )}{" "}
              · {data.eventsLastHour.toLocaleString("en-US")} demo events in the last hour
            </p>
            {data.problem && (
              <Alert>
                <TriangleAlert aria-hidden="true" />
                <AlertDescription>{data.problem}</AlertDescription>
              </Alert>
            )}
            <div className="flex flex-wrap gap-4">
              <div className="space-y-1">
                <Label htmlFor={`${id}-rate`}>Events per minute</Label>
                <Input
                  id={`${id}-rate`}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={MAX_PER_MINUTE}
                  value={rate}
                  onChange={(e) => setRate(e.target.value)}
                  className="w-32 tabular-nums"
                  aria-invalid={errors.eventsPerMinute ? true : undefined}
                />
                <p className="text-muted-foreground text-xs">
                  {errors.eventsPerMinute?.join(" ") ?? `1 to ${MAX_PER_MINUTE}`}
                </p>
              </div>
              <div className="space-y-1">
                <Label htmlFor={`${id}-minutes`}>Run for (minutes)</Label>
                <Input
                  id={`${id}-minutes`}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={MAX_MINUTES}
                  value={minutes}
                  onChange={(e) => setMinutes(e.target.value)}
                  className="w-32 tabular-nums"
                  aria-invalid={errors.durationMinutes ? true : undefined}
                />
                <p className="text-muted-foreground text-xs">
                  {errors.durationMinutes?.join(" ") ?? `1 to ${MAX_MINUTES}`}
                </p>
              </div>
            </div>
            {errors.enabled && <p className="text-destructive text-sm">{errors.enabled.join(" ")}</p>}
          </>
        ) : null}
      </CardContent>
      <CardFooter className="gap-2">
        <Button
          type="button"
          onClick={() => submit(true)}
          disabled={!data || configure.isPending || data.problem !== null}
        >
          {data?.running ? "Restart with these settings" : "Turn on"}
        </Button>
        {data?.running && (
          <Button
            type="button"
            variant="outline"
            onClick={() => submit(false)}
            disabled={configure.isPending}
          >
            Turn off
          </Button>
        )}
      </CardFooter>
    </Card>
  );
}
