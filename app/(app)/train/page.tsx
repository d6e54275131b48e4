import { Database, PlayCircle } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverApi } from "@/server/trpc/server";
import { RecentRuns } from "./recent-runs";
import { RunPanel } from "./run-panel";
import { TrainForm } from "./train-form";

export const metadata: Metadata = { title: "Train" };

function positiveInt(value: string | string[] | undefined): number | undefined {
  const n = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export default async function TrainPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await getCurrentUser();
  const canTrain = user?.role === "manager" || user?.role === "admin";
  const api = await serverApi();
  const params = await searchParams;
  const [datasets, runs] = await Promise.all([api.datasets.list(), api.training.list({ limit: 20 })]);
  // The run asked for in the URL, else the one in progress, else the latest.
  const runId =
    positiveInt(params.run) ??
    runs.find((r) => r.status === "running" || r.status === "queued")?.id ??
    runs[0]?.id;
  const initialRun = runId ? await api.training.get({ runId }).catch(() => null) : null;

  const header = (
    <PageHeader
      title="Train"
      description="Train churn models on a dataset version and follow the run live: each step, the progress and every model's scores as it finishes."
    />
  );
  if (datasets.length === 0 && runs.length === 0) {
    return (
      <>
        {header}
        <EmptyState
          icon={Database}
          title="Nothing to train on yet"
          action={
            canTrain ? (
              <Button asChild>
                <Link href="/datasets/upload">Upload a dataset</Link>
              </Button>
            ) : undefined
          }
        >
          Training needs an imported dataset with a churn column.{" "}
          {canTrain ? "Upload a customer CSV first." : "Ask a manager to upload one."}
        </EmptyState>
      </>
    );
  }

  return (
    <>
      {header}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,24rem)_minmax(0,1fr)]">
        <div>
          {canTrain ? (
            <TrainForm
              datasets={datasets.map((d) => ({
                id: d.id,
                name: d.name,
                latestVersionId: d.latest?.id ?? null,
              }))}
              initialDatasetId={positiveInt(params.dataset)}
              activeDatasetIds={runs
                .filter((r) => r.status === "queued" || r.status === "running")
                .map((r) => r.datasetId)}
            />
          ) : (
            <Card>
              <CardHeader>
                <CardTitle>Training</CardTitle>
                <CardDescription>
                  You can follow runs and read their results. Starting or cancelling a run needs the manager
                  role.
                </CardDescription>
              </CardHeader>
            </Card>
          )}
        </div>
        <div className="min-w-0">
          {initialRun ? (
            <RunPanel key={initialRun.id} initialRun={initialRun} canCancel={canTrain} />
          ) : (
            <EmptyState icon={PlayCircle} title={runId ? "Run not found" : "No runs yet"}>
              {runId
                ? "This training run does not exist (its dataset may have been deleted)."
                : "Start a run to see its progress here: the current step, percent done and each model's scores as it finishes."}
            </EmptyState>
          )}
        </div>
      </div>
      {runs.length > 0 && (
        <div className="mt-6">
          <RecentRuns initialRuns={runs} selectedRunId={initialRun?.id ?? null} />
        </div>
      )}
    </>
  );
}
