"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Ban, RotateCcw } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { DateTime } from "@/components/format/date-time";
import { useTRPC } from "@/components/trpc/client";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";

const STATUSES = ["running", "queued", "failed", "cancelled", "succeeded"] as const;
type Status = (typeof STATUSES)[number];
const STATUS_LABELS: Record<Status, string> = {
  running: "Running",
  queued: "Queued",
  failed: "Failed",
  cancelled: "Cancelled",
  succeeded: "Succeeded",
};
const BADGE: Record<Status, "default" | "secondary" | "destructive" | "success" | "outline"> = {
  running: "default",
  queued: "secondary",
  failed: "destructive",
  cancelled: "outline",
  succeeded: "success",
};

/** 850 ms, 12.4 s, 3 min 5 s, 1 h 2 min. */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

type Pending = { kind: "retry" | "cancel"; jobId: string; title: string } | null;

export function JobsTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const overview = useQuery({ ...trpc.jobs.overview.queryOptions(), refetchInterval: 5000 });
  const jobs = useInfiniteQuery({
    ...trpc.jobs.list.infiniteQueryOptions(
      { limit: 25, status: status ?? undefined },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
    // Live enough to watch a job move; paused while a confirmation is open.
    refetchInterval: pending ? false : 3000,
  });
  const rows = jobs.data?.pages.flatMap((p) => p.items) ?? [];
  const refresh = () => {
    queryClient.invalidateQueries({ queryKey: trpc.jobs.list.pathKey() });
    queryClient.invalidateQueries({ queryKey: trpc.jobs.overview.queryKey() });
  };
  const retry = useMutation(
    trpc.jobs.retry.mutationOptions({
      onSuccess: () => {
        toast.success("The job is queued again; it resumes at the step that failed.");
        refresh();
      },
      onError: (error) => toast.error(error.message),
      onSettled: () => setPending(null),
    }),
  );
  const cancel = useMutation(
    trpc.jobs.cancel.mutationOptions({
      onSuccess: () => {
        toast.success("Cancellation requested: the current step finishes, no further step starts.");
        refresh();
      },
      onError: (error) => toast.error(error.message),
      onSettled: () => setPending(null),
    }),
  );
  const isInngest = overview.data?.executor === "inngest";
  const isBusy = retry.isPending || cancel.isPending;

  return (
    <Card>
      <CardHeader className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="space-y-1.5">
          <CardTitle>Jobs</CardTitle>
          <CardDescription>
            Training, scoring, reports, the nightly clean-up and every other durable job: where each one is,
            how long it took and why it failed.
          </CardDescription>
        </div>
        {overview.data ? (
          <Badge variant="outline" className="text-sm" data-testid="executor">
            Executor: {isInngest ? "Inngest" : "embedded runner"}
          </Badge>
        ) : (
          <Skeleton className="h-6 w-44" />
        )}
      </CardHeader>
      <CardContent className="space-y-4">
        {isInngest && (
          <p className="rounded-md border bg-muted/50 p-3 text-sm">
            Jobs run on Inngest. This list shows each run as ChurnGuard recorded it (status, step, attempts,
            error, duration); retry or cancel a run in the Inngest dashboard.
          </p>
        )}
        <fieldset className="flex flex-wrap gap-2" aria-label="Filter by status">
          <Button
            size="sm"
            variant={status === null ? "default" : "outline"}
            aria-pressed={status === null}
            onClick={() => setStatus(null)}
          >
            All
          </Button>
          {STATUSES.map((s) => (
            <Button
              key={s}
              size="sm"
              variant={status === s ? "default" : "outline"}
              aria-pressed={status === s}
              onClick={() => setStatus(s)}
            >
              {STATUS_LABELS[s]}
              <span className="ml-1 tabular-nums opacity-70">{overview.data?.counts[s] ?? ""}</span>
            </Button>
          ))}
        </fieldset>
        {jobs.isError ? (
          <p role="alert" className="text-destructive text-sm">
            Could not load the jobs: {jobs.error.message}
          </p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Job</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="hidden md:table-cell">Step</TableHead>
                <TableHead className="hidden sm:table-cell">Started</TableHead>
                <TableHead className="text-right">Duration</TableHead>
                <TableHead className="hidden text-right md:table-cell">Attempts</TableHead>
                <TableHead className="w-28">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {jobs.isPending ? (
                Array.from({ length: 4 }, (_, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton rows
                  <TableRow key={i}>
                    <TableCell colSpan={7}>
                      <Skeleton className="h-5 w-full" />
                    </TableCell>
                  </TableRow>
                ))
              ) : rows.length === 0 ? (
                <TableRow>
                  <TableCell colSpan={7} className="py-10 text-center text-muted-foreground">
                    {status ? `No ${STATUS_LABELS[status].toLowerCase()} jobs.` : "No jobs have run yet."}
                  </TableCell>
                </TableRow>
              ) : (
                rows.map((job) => {
                  const title = [job.kind, job.subject].filter(Boolean).join(" · ");
                  return (
                    <TableRow key={job.id} data-testid="job-row" className="align-top">
                      <TableCell className="max-w-sm whitespace-normal">
                        <div className="font-medium">{job.kind}</div>
                        <div className="text-muted-foreground text-xs">
                          {job.subject ? `${job.subject} · ` : ""}
                          <code>{job.id}</code>
                        </div>
                        {job.error && (
                          <p className="mt-1 line-clamp-3 text-destructive text-xs" title={job.error}>
                            {job.error}
                          </p>
                        )}
                      </TableCell>
                      <TableCell>
                        <Badge variant={BADGE[job.status]}>{STATUS_LABELS[job.status]}</Badge>
                        {job.isCleaningUp && (
                          <div className="mt-1 text-muted-foreground text-xs">cleaning up…</div>
                        )}
                        {job.isWaitingToRetry && (
                          <div className="mt-1 text-muted-foreground text-xs">waiting to retry</div>
                        )}
                      </TableCell>
                      <TableCell className="hidden max-w-xs whitespace-normal md:table-cell">
                        <div>{job.currentStep ?? (job.status === "succeeded" ? "All steps done" : "—")}</div>
                        {job.stepsTotal !== null && (
                          <div className="text-muted-foreground text-xs tabular-nums">
                            {job.stepsDone} of {job.stepsTotal} steps done
                          </div>
                        )}
                      </TableCell>
                      <TableCell className="hidden whitespace-nowrap text-muted-foreground sm:table-cell">
                        <DateTime value={job.createdAt} style="monthDayTime" />
                      </TableCell>
                      <TableCell className="whitespace-nowrap text-right tabular-nums">
                        {formatDuration(job.durationMs)}
                      </TableCell>
                      <TableCell
                        className={cn(
                          "hidden text-right tabular-nums md:table-cell",
                          job.attempts > 1 && "text-warning-foreground",
                        )}
                      >
                        {job.attempts}
                      </TableCell>
                      <TableCell className="text-right">
                        {job.canRetry && !isInngest && (
                          <Button
                            size="sm"
                            variant="outline"
                            disabled={isBusy}
                            onClick={() => setPending({ kind: "retry", jobId: job.id, title })}
                          >
                            <RotateCcw aria-hidden className="size-4" />
                            Retry
                          </Button>
                        )}
                        {job.canCancel && !isInngest && (
                          <Button
                            size="sm"
                            variant="outline"
                            disabled={isBusy}
                            onClick={() => setPending({ kind: "cancel", jobId: job.id, title })}
                          >
                            <Ban aria-hidden className="size-4" />
                            Cancel
                          </Button>
                        )}
                      </TableCell>
                    </TableRow>
                  );
                })
              )}
            </TableBody>
          </Table>
        )}
        {jobs.hasNextPage && (
          <div className="flex justify-center">
            <Button variant="outline" onClick={() => jobs.fetchNextPage()} disabled={jobs.isFetchingNextPage}>
              {jobs.isFetchingNextPage ? "Loading…" : "Load older jobs"}
            </Button>
          </div>
        )}
      </CardContent>
      <AlertDialog open={pending !== null} onOpenChange={(open) => !open && !isBusy && setPending(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>
              {pending?.kind === "retry" ? "Retry this job?" : "Cancel this job?"}
            </AlertDialogTitle>
            <AlertDialogDescription>
              {pending?.kind === "retry"
                ? `${pending.title} goes back in the queue and resumes at the step that failed (a batch scoring starts over).`
                : `${pending?.title ?? "The job"} stops after its current step; what it was working on is marked cancelled.`}
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel disabled={isBusy}>Keep it</AlertDialogCancel>
            <AlertDialogAction
              disabled={isBusy}
              onClick={(event) => {
                event.preventDefault();
                if (!pending) return;
                if (pending.kind === "retry") retry.mutate({ jobId: pending.jobId });
                else cancel.mutate({ jobId: pending.jobId });
              }}
            >
              {pending?.kind === "retry" ? "Retry job" : "Cancel job"}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </Card>
  );
}
