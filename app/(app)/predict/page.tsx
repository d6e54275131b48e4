import { Gauge } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverApi } from "@/server/trpc/server";
import { PredictView } from "./predict-view";

export const metadata: Metadata = { title: "Predict" };

function positiveInt(value: string | string[] | undefined): number | undefined {
  const n = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export default async function PredictPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [user, api, params] = await Promise.all([getCurrentUser(), serverApi(), searchParams]);
  const canTrain = user?.role === "manager" || user?.role === "admin";
  const datasets = await api.predictions.datasets();
  const header = (
    <PageHeader
      title="Predict"
      description="Try a what-if: change a customer's details and see the churn risk, the reasons behind it and the next best action."
    />
  );
  if (datasets.length === 0) {
    return (
      <>
        {header}
        <EmptyState
          icon={Gauge}
          title="No champion model yet"
          action={
            canTrain ? (
              <Button asChild>
                <Link href="/train">Train a model</Link>
              </Button>
            ) : undefined
          }
        >
          What-if prediction uses a dataset&apos;s champion model. When one exists, this page shows a form
          built from its columns, the risk gauge, the reasons behind the score and the next best action.
          {canTrain ? "" : " Ask a manager to train a model."}
        </EmptyState>
      </>
    );
  }
  const requested = positiveInt(params.dataset);
  const datasetId = datasets.some((d) => d.id === requested) ? requested! : datasets[0].id;
  const form = await api.predictions.form({ datasetId });
  return (
    <>
      {header}
      <PredictView datasets={datasets} initialDatasetId={datasetId} initialForm={form} />
    </>
  );
}
