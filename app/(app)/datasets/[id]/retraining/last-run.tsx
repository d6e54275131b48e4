"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import Link from "next/link";
import { toast } from "sonner";
import { DateTime } from "@/components/format/date-time";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** The schedule's last run and, after a failure, the notice managers dismiss. */
export function LastRun({ datasetId, canManage }: { datasetId: number; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const schedule = useQuery(trpc.retraining.schedule.queryOptions({ datasetId }));
  const dismiss = useMutation(
    trpc.retraining.dismissFailure.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.retraining.schedule.queryKey({ datasetId }) });
        queryClient.invalidateQueries({ queryKey: trpc.retraining.failureNotices.queryKey() });
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const s = schedule.data;
  if (!s?.lastRunAt && !s?.failureNoticeAt) return null;
  if (s.failureNoticeAt) {
    return (
      <Alert variant="destructive">
        <AlertTriangle aria-hidden="true" />
        <AlertTitle>The last scheduled run failed</AlertTitle>
        <AlertDescription>
          <p>{s.lastError ?? "No reason was recorded."}</p>
          <div className="mt-2 flex flex-wrap gap-2">
            {s.lastRunId && (
              <Button asChild size="sm" variant="outline">
                <Link href={`/train?run=${s.lastRunId}`}>Open the run</Link>
              </Button>
            )}
            {canManage && (
              <Button
                size="sm"
                variant="ghost"
                disabled={dismiss.isPending}
                onClick={() => dismiss.mutate({ datasetId })}
              >
                Dismiss
              </Button>
            )}
          </div>
        </AlertDescription>
      </Alert>
    );
  }
  return (
    <p className="text-muted-foreground text-sm">
      Last scheduled run <DateTime value={s.lastRunAt as Date} style="dateTime" />:{" "}
      {s.lastOutcome === "skipped" ? (s.lastError ?? "skipped") : (s.lastOutcome ?? "started")}
      {s.lastRunId && (
        <>
          {" · "}
          <Link className="underline-offset-4 hover:underline" href={`/train?run=${s.lastRunId}`}>
            run #{s.lastRunId}
          </Link>
        </>
      )}
    </p>
  );
}
