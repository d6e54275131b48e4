import { Activity } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { DatasetPicker } from "@/components/dashboard/dataset-picker";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverApi } from "@/server/trpc/server";
import { DriftWorkspace } from "./drift-workspace";

export const metadata: Metadata = { title: "Drift" };

const DESCRIPTION =
  "Has the data moved away from what the model learned? Newer versions and scored files against the champion's training data.";

export default async function DriftPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [api, user, params] = await Promise.all([serverApi(), getCurrentUser(), searchParams]);
  const canCheck = user?.role === "manager" || user?.role === "admin";
  const datasets = await api.dashboard.datasets();
  const raw = Array.isArray(params.dataset) ? params.dataset[0] : params.dataset;
  const requested = Number(raw);
  const selected =
    datasets.find((d) => d.id === requested) ?? datasets.find((d) => d.hasChampion) ?? datasets[0] ?? null;
  if (!selected) {
    return (
      <>
        <PageHeader title="Drift" description={DESCRIPTION} />
        <EmptyState
          icon={Activity}
          title="No datasets yet"
          action={
            canCheck ? (
              <Button asChild>
                <Link href="/datasets/upload">Upload a customer CSV</Link>
              </Button>
            ) : undefined
          }
        >
          Drift compares new customer data with the data a model was trained on. Upload a dataset and train
          models first.
        </EmptyState>
      </>
    );
  }
  const overview = await api.drift.overview({ datasetId: selected.id });
  return (
    <>
      <PageHeader
        title={`Drift · ${selected.name}`}
        description={DESCRIPTION}
        actions={datasets.length > 1 ? <DatasetPicker datasets={datasets} value={selected.id} /> : undefined}
      />
      {!overview.champion ? (
        <EmptyState
          icon={Activity}
          title={`No champion model for ${selected.name} yet`}
          action={
            canCheck ? (
              <Button asChild>
                <Link href={`/train?dataset=${selected.id}`}>Train models</Link>
              </Button>
            ) : undefined
          }
        >
          Drift is measured against the training data of the dataset's champion model. Train models on this
          dataset first{canCheck ? "." : ", or ask a manager to."}
        </EmptyState>
      ) : (
        <DriftWorkspace key={selected.id} datasetId={selected.id} canCheck={canCheck} initial={overview} />
      )}
    </>
  );
}
