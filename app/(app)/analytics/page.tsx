import { BarChart3, FileText, Target } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { DatasetPicker } from "@/components/dashboard/dataset-picker";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverApi } from "@/server/trpc/server";
import { parseAnalyticsState } from "./analytics-state";
import { AnalyticsWorkspace } from "./analytics-workspace";

export const metadata: Metadata = { title: "Analytics" };

const DESCRIPTION =
  "Which groups of customers are leaving, how long customers stay, and how risk changes over time.";

export default async function AnalyticsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [api, user, params] = await Promise.all([serverApi(), getCurrentUser(), searchParams]);
  const canTrain = user?.role === "manager" || user?.role === "admin";
  const datasets = await api.analytics.datasets();
  const requested = Number(Array.isArray(params.dataset) ? params.dataset[0] : params.dataset);
  const selected =
    datasets.find((d) => d.id === requested) ?? datasets.find((d) => d.hasChampion) ?? datasets[0];
  if (!selected) {
    return (
      <>
        <PageHeader title="Analytics" description={DESCRIPTION} />
        <EmptyState
          icon={BarChart3}
          title="No customer data yet"
          action={
            canTrain ? (
              <Button asChild>
                <Link href="/datasets/upload">Upload a customer CSV</Link>
              </Button>
            ) : undefined
          }
        >
          Upload a customer table with a churn column and train models: this page then compares churn between
          segments, draws retention curves and follows risk over time.
        </EmptyState>
      </>
    );
  }
  const overview = await api.analytics.overview({ datasetId: selected.id });
  return (
    <>
      <PageHeader
        title="Analytics"
        description={DESCRIPTION}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            {datasets.length > 1 && <DatasetPicker datasets={datasets} value={selected.id} />}
            {overview.champion && (
              <Button asChild variant="outline">
                <Link href={`/campaigns?dataset=${selected.id}`}>
                  <Target aria-hidden="true" /> Plan a campaign
                </Link>
              </Button>
            )}
            <Button asChild variant="outline">
              <Link href={`/reports?dataset=${selected.id}`}>
                <FileText aria-hidden="true" /> Reports
              </Link>
            </Button>
          </div>
        }
      />
      <AnalyticsWorkspace
        key={overview.dataset.id}
        overview={overview}
        initial={parseAnalyticsState(params)}
      />
    </>
  );
}
