"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowRight, Square } from "lucide-react";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { RelativeTime } from "@/components/format/date-time";
import { algorithmName, balancingPhrase, formatSeconds } from "@/components/models/format";
import { RunModelsTable } from "@/components/training/run-models-table";
import { RunStatusBadge } from "@/components/training/run-status-badge";
import { type RunStep, RunSteps } from "@/components/training/run-steps";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import type { RealtimeMessage } from "@/server/realtime/types";
import { channels } from "@/server/realtime/types";
import type { ModelEvent, StepEvent } from "@/server/services/training/events";
import type { RunDetail } from "@/server/services/training/runs";
import { useChannel } from "../../_realtime/use-channel";
import { isActive, withModel, withStep } from "./run-events";

/**
 * One run, live: the server's state first (rendered with the page, refetched on reconnect), then
 * realtime events on top. Also polls slowly while the run is active, in case realtime is down.
 */
export function RunPanel({ initialRun, canCancel }: { initialRun: RunDetail; canCancel: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runId = initialRun.id;
  const queryKey = trpc.training.get.queryKey({ runId });
  const run = useQuery({
    ...trpc.training.get.queryOptions({ runId }),
    initialData: initialRun,
    refetchInterval: (query) => (query.state.data && isActive(query.state.data.status) ? 15_000 : false),
  });
  const data = run.data;
  const [summaries, setSummaries] = useState<Record<string, string>>({});

  const refresh = useCallback(() => {
    queryClient.invalidateQueries({ queryKey });
    queryClient.invalidateQueries({ queryKey: trpc.training.list.queryKey() });
    queryClient.invalidateQueries({ queryKey: trpc.models.list.queryKey() });
  }, [queryClient, queryKey, trpc]);

  const onMessage = useCallback(
    (message: RealtimeMessage) => {
      if (message.event === "step") {
        const event = message.data as StepEvent;
        if (event.summary) setSummaries((s) => ({ ...s, [event.stepId]: event.summary as string }));
        queryClient.setQueryData(queryKey, (current: RunDetail | undefined) =>
          current ? withStep(current, event) : current,
        );
      } else if (message.event === "model") {
        const event = message.data as ModelEvent;
        queryClient.setQueryData(queryKey, (current: RunDetail | undefined) =>
          current ? withModel(current, event) : current,
        );
      } else if (message.event === "completed" || message.event === "failed") {
        refresh();
      }
    },
    [queryClient, queryKey, refresh],
  );
  const { status: channelStatus } = useChannel(
    isActive(data.status) ? channels.trainingRun(runId) : null,
    onMessage,
  );

  // Messages missed while disconnected are not replayed: reload the state when the stream (re)opens.
  const wasOpen = useRef(false);
  useEffect(() => {
    if (channelStatus === "open" && wasOpen.current === false) refresh();
    wasOpen.current = channelStatus === "open";
  }, [channelStatus, refresh]);

  const cancel = useMutation(
    trpc.training.cancel.mutationOptions({
      onSuccess: (result) => {
        toast.success(
          result.status === "cancelled"
            ? `Run #${runId} cancelled`
            : `Run #${runId} will stop after its current step`,
        );
        refresh();
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  const steps: RunStep[] = data.steps.map((s) => ({ ...s, summary: summaries[s.id] }));
  const current = data.steps.find((s) => s.id === data.currentStep);
  const percent = Math.round(data.progress * 100);
  const durationSeconds =
    data.startedAt && data.finishedAt ? (data.finishedAt.getTime() - data.startedAt.getTime()) / 1000 : null;

  return (
    <Card data-testid="training-run" data-status={data.status}>
      <CardHeader className="gap-2">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="min-w-0 space-y-1">
            <CardTitle className="flex items-center gap-2">
              Run #{data.id} <RunStatusBadge status={data.status} />
            </CardTitle>
            <CardDescription className="break-words">
              {data.datasetName} v{data.datasetVersion} ·{" "}
              {data.params.algorithms.map(algorithmName).join(", ")} ·{" "}
              {balancingPhrase(data.params.balancing)} · {data.params.folds} folds
            </CardDescription>
            <p className="text-muted-foreground text-xs">
              Started <RelativeTime value={data.createdAt} />
              {data.createdByName ? ` by ${data.createdByName}` : ""}
              {durationSeconds !== null ? ` · took ${formatSeconds(durationSeconds)}` : ""}
            </p>
          </div>
          {canCancel && isActive(data.status) && (
            <AlertDialog>
              <AlertDialogTrigger asChild>
                <Button variant="outline" size="sm" disabled={cancel.isPending || data.cancelRequested}>
                  <Square aria-hidden="true" />
                  {data.cancelRequested ? "Cancelling…" : "Cancel run"}
                </Button>
              </AlertDialogTrigger>
              <AlertDialogContent>
                <AlertDialogHeader>
                  <AlertDialogTitle>Cancel run #{data.id}?</AlertDialogTitle>
                  <AlertDialogDescription>
                    The run stops within a few seconds, even in the middle of training a model. Models already
                    trained stay in the registry as candidates; the current champion keeps its place.
                  </AlertDialogDescription>
                </AlertDialogHeader>
                <AlertDialogFooter>
                  <AlertDialogCancel>Keep running</AlertDialogCancel>
                  <AlertDialogAction onClick={() => cancel.mutate({ runId })}>Cancel run</AlertDialogAction>
                </AlertDialogFooter>
              </AlertDialogContent>
            </AlertDialog>
          )}
        </div>
      </CardHeader>
      <CardContent className="space-y-6">
        <div className="space-y-2">
          <div className="flex items-baseline justify-between gap-2 text-sm">
            <span className="min-w-0 truncate" aria-live="polite">
              {data.status === "queued"
                ? "Waiting for a worker…"
                : data.status === "running"
                  ? (current?.label ?? "Starting…")
                  : data.status === "succeeded"
                    ? "Finished"
                    : data.status === "cancelled"
                      ? "Cancelled"
                      : "Failed"}
            </span>
            <span className="font-medium tabular-nums" data-testid="run-progress">
              {percent} %
            </span>
          </div>
          <Progress value={percent} aria-label={`Run #${data.id} progress`} />
          {isActive(data.status) && channelStatus === "reconnecting" && (
            <p className="text-muted-foreground text-xs">Live updates interrupted; reconnecting…</p>
          )}
        </div>
        {data.status === "failed" && data.error && (
          <Alert variant="destructive">
            <AlertTitle>The run failed</AlertTitle>
            <AlertDescription>{data.error}</AlertDescription>
          </Alert>
        )}
        {run.isError && (
          <p className="text-destructive text-sm" role="alert">
            Could not refresh the run: {run.error.message}
          </p>
        )}
        <div className="space-y-3">
          <h3 className="font-medium text-sm">Models</h3>
          {data.models.length === 0 ? (
            <p className="text-muted-foreground text-sm">
              {isActive(data.status)
                ? "Each model appears here with its scores as soon as it is trained."
                : "This run registered no model."}
            </p>
          ) : (
            <div className="overflow-x-auto">
              <RunModelsTable rows={data.models.map((m) => ({ ...m, modelId: m.id }))} />
            </div>
          )}
          {data.status === "succeeded" && (
            <Button asChild variant="outline" size="sm">
              <Link href={`/models?dataset=${data.datasetId}`}>
                Open the leaderboard
                <ArrowRight aria-hidden="true" />
              </Link>
            </Button>
          )}
        </div>
        <div className="space-y-3">
          <h3 className="font-medium text-sm">Steps</h3>
          <RunSteps steps={steps} />
        </div>
      </CardContent>
    </Card>
  );
}
