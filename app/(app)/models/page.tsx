import { BrainCircuit } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverApi } from "@/server/trpc/server";
import { Leaderboard } from "./leaderboard";
import { LeaderboardSkeleton } from "./leaderboard-skeleton";

export const metadata: Metadata = { title: "Models" };

function positiveInt(value: string | string[] | undefined): number | undefined {
  const n = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

async function ModelsList({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await getCurrentUser();
  const canTrain = user?.role === "manager" || user?.role === "admin";
  const api = await serverApi();
  const params = await searchParams;
  const datasets = await api.models.datasets();
  const datasetId = positiveInt(params.dataset);
  const initialDatasetId = datasets.some((d) => d.id === datasetId) ? datasetId : undefined;
  const initialRows = datasets.length ? await api.models.list({ datasetId: initialDatasetId }) : [];

  return (
    <>
      <PageHeader
        title="Models"
        description="Every trained model, ranked by cross-validated ROC AUC. The champion of each dataset scores its customers and answers the prediction API."
        actions={
          datasets.length > 0 ? (
            <Button asChild variant="outline">
              <Link href="/models/compare">Compare two models</Link>
            </Button>
          ) : undefined
        }
      />
      {datasets.length === 0 ? (
        <EmptyState
          icon={BrainCircuit}
          title="No models yet"
          action={
            canTrain ? (
              <Button asChild>
                <Link href="/train">Train models</Link>
              </Button>
            ) : undefined
          }
        >
          The leaderboard lists each trained model with its cross-validated ROC AUC, churn-class F1, weighted
          F1, calibration and training time, and marks the champion used for scoring.
          {canTrain ? "" : " Ask a manager to start a training run."}
        </EmptyState>
      ) : (
        <Leaderboard datasets={datasets} initialDatasetId={initialDatasetId} initialRows={initialRows} />
      )}
    </>
  );
}

export default function ModelsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return (
    <Suspense fallback={<LeaderboardSkeleton />}>
      <ModelsList searchParams={searchParams} />
    </Suspense>
  );
}
