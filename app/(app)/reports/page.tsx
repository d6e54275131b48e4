import { Download, FileText } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { DatasetPicker } from "@/components/dashboard/dataset-picker";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverApi } from "@/server/trpc/server";
import { ReportsWorkspace } from "./reports-workspace";

export const metadata: Metadata = { title: "Reports" };

const DESCRIPTION = "Shareable PDF and CSV reports of churn risk, segments and retention plans.";

export default async function ReportsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [api, user, params] = await Promise.all([serverApi(), getCurrentUser(), searchParams]);
  const canGenerate = user?.role === "manager" || user?.role === "admin";
  const first = (key: string) => (Array.isArray(params[key]) ? params[key]?.[0] : params[key]);
  const datasets = await api.analytics.datasets();
  const requested = Number(first("dataset"));
  const selected =
    datasets.find((d) => d.id === requested) ?? datasets.find((d) => d.hasChampion) ?? datasets[0];
  if (!selected) {
    return (
      <>
        <PageHeader title="Reports" description={DESCRIPTION} />
        <EmptyState icon={FileText} title="No reports yet">
          Reports summarise a scored dataset: the high-risk customers, their drivers and recommended actions,
          as a PDF for a meeting or CSV files for your CRM. Upload customer data and train models first.
        </EmptyState>
      </>
    );
  }
  const campaignParam = Number(first("campaign"));
  const overview = await api.analytics.overview({ datasetId: selected.id });
  const column = overview.suggestedColumns[0];
  const exports = [
    {
      href: `/customers/export?dataset=${selected.id}`,
      label: "Scored customers",
      hint: "every customer with risk, drivers and revenue at risk",
    },
    ...(column
      ? [
          {
            href: `/analytics/export?dataset=${selected.id}&table=segments&col=${encodeURIComponent(column)}`,
            label: `Churn by ${column}`,
            hint: "the segment table of the Analytics page",
          },
        ]
      : []),
    ...(overview.duration.detected
      ? [
          {
            href: `/analytics/export?dataset=${selected.id}&table=retention`,
            label: "Retention curve",
            hint: `share still customers by ${overview.duration.detected}`,
          },
        ]
      : []),
    {
      href: `/analytics/export?dataset=${selected.id}&table=trend`,
      label: "Risk over time",
      hint: "mean risk and high-risk customers per scoring",
    },
  ];
  return (
    <>
      <PageHeader
        title="Reports"
        description={DESCRIPTION}
        actions={datasets.length > 1 ? <DatasetPicker datasets={datasets} value={selected.id} /> : undefined}
      />
      {!overview.champion ? (
        <EmptyState icon={FileText} title={`No churn model for ${selected.name} yet`}>
          Reports are made from a champion model's scores. Train models on this dataset first
          {canGenerate ? "." : ", or ask a manager to."}
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <ReportsWorkspace
            key={selected.id}
            datasetId={selected.id}
            datasetName={selected.name}
            hasChampion={overview.champion !== null}
            canGenerate={canGenerate}
            initialCampaignId={Number.isInteger(campaignParam) && campaignParam > 0 ? campaignParam : null}
          />
          <Card>
            <CardHeader>
              <CardTitle>CSV exports</CardTitle>
              <CardDescription>
                Tables for a spreadsheet or your CRM. Saved campaign plans export their own target lists from
                their page.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <ul className="grid gap-2 sm:grid-cols-2">
                {exports.map((e) => (
                  <li
                    key={e.href}
                    className="flex items-center justify-between gap-3 rounded-md border px-3 py-2"
                  >
                    <span className="text-sm">
                      <span className="font-medium">{e.label}</span>
                      <span className="block text-muted-foreground text-xs">{e.hint}</span>
                    </span>
                    <Button asChild size="sm" variant="outline">
                      <a href={e.href} download aria-label={`Download ${e.label} (CSV)`}>
                        <Download aria-hidden="true" /> CSV
                      </a>
                    </Button>
                  </li>
                ))}
              </ul>
              <p className="mt-3 text-muted-foreground text-xs">
                Looking for a plan's customers?{" "}
                <Link
                  href={`/campaigns?dataset=${selected.id}`}
                  className="text-primary underline-offset-4 hover:underline"
                >
                  Open Campaigns
                </Link>
                .
              </p>
            </CardContent>
          </Card>
        </div>
      )}
    </>
  );
}
