"use client";

import { useQuery } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/** Managers see failed scheduled runs until one of them dismisses the notice on the dataset's page. */
export function FailedRunsBanner() {
  const trpc = useTRPC();
  const notices = useQuery(trpc.retraining.failureNotices.queryOptions());
  if (!notices.data?.length) return null;
  return (
    <Alert variant="destructive" className="mb-6" data-testid="failed-runs-banner">
      <AlertTriangle aria-hidden="true" />
      <AlertTitle>
        {notices.data.length === 1
          ? "A scheduled retraining failed"
          : `${notices.data.length} scheduled retrainings failed`}
      </AlertTitle>
      <AlertDescription>
        <ul className="space-y-1">
          {notices.data.map((n) => (
            <li key={n.datasetId}>
              <Link
                className="font-medium underline underline-offset-4"
                href={`/datasets/${n.datasetId}/retraining`}
              >
                {n.datasetName}
              </Link>
              : {n.error ?? "the run failed"}
            </li>
          ))}
        </ul>
      </AlertDescription>
    </Alert>
  );
}
