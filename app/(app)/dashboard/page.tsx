import { Database, LayoutDashboard } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { BarList } from "@/components/dashboard/bar-list";
import { DatasetPicker } from "@/components/dashboard/dataset-picker";
import { RiskDistribution } from "@/components/dashboard/risk-distribution";
import { DriftAlertBanner } from "@/components/drift/drift-alert-banner";
import { RelativeTime } from "@/components/format/date-time";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { formatPercent, modelTitle } from "@/components/models/format";
import { RunStatusBadge } from "@/components/training/run-status-badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DEFAULT_CURRENCY, formatMoney } from "@/lib/format/money";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverApi } from "@/server/trpc/server";
import { LiveRefresh } from "../../_realtime/live-refresh";
import { DashboardSkeleton } from "./dashboard-skeleton";
import { FailedRunsBanner } from "./failed-runs-banner";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [user, api, params] = await Promise.all([getCurrentUser(), serverApi(), searchParams]);
  const canTrain = user?.role === "manager" || user?.role === "admin";
  const firstName = user?.name.split(/\s+/)[0] ?? "there";
  const datasets = await api.dashboard.datasets();
  const requested = Number(params.dataset);
  const selected =
    datasets.find((d) => d.id === requested) ?? datasets.find((d) => d.hasChampion) ?? datasets[0] ?? null;

  // The shell (greeting, dataset picker) is sent at once; the figures stream in behind it.
  return (
    <>
      <PageHeader
        title={`Welcome, ${firstName}`}
        description="Your churn overview: who is at risk, why, and what to do."
        actions={
          selected ? (
            <>
              {selected.hasChampion && <LiveRefresh datasetId={selected.id} />}
              {datasets.length > 1 && <DatasetPicker datasets={datasets} value={selected.id} />}
            </>
          ) : undefined
        }
      />
      {canTrain && <FailedRunsBanner />}
      {selected ? (
        <Suspense key={selected.id} fallback={<DashboardSkeleton />}>
          <DashboardFigures datasetId={selected.id} canTrain={canTrain} />
        </Suspense>
      ) : (
        <NoDataYet canTrain={canTrain} />
      )}
    </>
  );
}

/** A dataset deleted since the picker was read is the same as no data. */
function nullIfDeleted(error: unknown): null {
  if ((error as { code?: string }).code === "NOT_FOUND") return null;
  throw error;
}

function NoDataYet({ canTrain }: { canTrain: boolean }) {
  return (
    <EmptyState
      icon={Database}
      title="No customer data yet"
      action={
        canTrain ? (
          <Button asChild>
            <Link href="/datasets/upload">Upload a customer CSV</Link>
          </Button>
        ) : undefined
      }
    >
      Upload a customer table with a churn column. ChurnGuard profiles it, trains four models and scores every
      customer; this page then shows the churn rate, revenue at risk and the strongest drivers.
    </EmptyState>
  );
}

async function DashboardFigures({ datasetId, canTrain }: { datasetId: number; canTrain: boolean }) {
  const api = await serverApi();
  const [overview, plain, driftAlerts] = await Promise.all([
    api.dashboard.overview({ datasetId }).catch(nullIfDeleted),
    // Model quality in words and the currency, shared with the Analytics page.
    api.analytics.overview({ datasetId }).catch(nullIfDeleted),
    api.drift.alerts(),
  ]);
  if (!overview) return <NoDataYet canTrain={canTrain} />;

  const { champion, scored } = overview;
  const money = (value: number) => formatMoney(value, plain?.currency ?? DEFAULT_CURRENCY, { digits: 0 });
  const datasetQuery = `dataset=${overview.dataset.id}`;
  return (
    <>
      {driftAlerts.length > 0 && (
        <div className="mb-6">
          <DriftAlertBanner alerts={driftAlerts} />
        </div>
      )}
      {!champion || !scored ? (
        <EmptyState
          icon={LayoutDashboard}
          title={`No churn model for ${overview.dataset.name} yet`}
          action={
            canTrain ? (
              <Button asChild>
                <Link href={`/train?${datasetQuery}`}>Train models</Link>
              </Button>
            ) : undefined
          }
        >
          {overview.dataset.rowCount.toLocaleString("en-US")} customers are imported.{" "}
          {overview.recentRuns.some((r) => r.status === "queued" || r.status === "running")
            ? "A training run is in progress: the scores appear here when it finishes."
            : canTrain
              ? "Train models to score every customer."
              : "Ask a manager to train models."}
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <section aria-label="Key figures" className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
            <Kpi
              label="Active customers"
              value={scored.customers.toLocaleString("en-US")}
              hint={`Scored and still customers · ${overview.dataset.name}, version ${overview.dataset.version}`}
              testId="kpi-active"
            />
            <Kpi
              label="High-risk customers"
              value={scored.levels.high.toLocaleString("en-US")}
              hint={
                scored.customers > 0
                  ? `${formatPercent(scored.levels.high / scored.customers)} of active customers · mean risk ${formatPercent(scored.meanRisk)}`
                  : "No active customer is left to score"
              }
              testId="kpi-high-risk"
            />
            <Kpi
              label="Monthly revenue at risk"
              value={scored.monthlyRevenueAtRisk === null ? "—" : money(scored.monthlyRevenueAtRisk)}
              hint={
                scored.monthlyRevenueHighRisk === null
                  ? "Needs a monthly charges column in the data"
                  : `Monthly value × risk of active customers · ${money(scored.monthlyRevenueHighRisk)} from high-risk ones`
              }
              testId="kpi-revenue-at-risk"
            />
            <Kpi
              label="Already lost"
              value={scored.lost.toLocaleString("en-US")}
              hint={`Left already (churned in the data), not at risk · observed churn rate ${
                overview.observedChurnRate === null ? "—" : formatPercent(overview.observedChurnRate)
              }`}
              testId="kpi-lost"
            />
          </section>

          <div className="grid gap-4 lg:grid-cols-3">
            <Card className="lg:col-span-2">
              <CardHeader>
                <CardTitle>Risk levels</CardTitle>
                <CardDescription>
                  How the champion model scores the active customers (those already lost are left out).
                </CardDescription>
              </CardHeader>
              <CardContent className="space-y-4">
                <RiskDistribution levels={scored.levels} />
                <div className="flex flex-wrap gap-2">
                  <Button asChild size="sm">
                    <Link href={`/customers?${datasetQuery}&level=high`}>See high-risk customers</Link>
                  </Button>
                  <Button asChild size="sm" variant="outline">
                    <Link href={`/customers?${datasetQuery}&status=lost`}>See lost customers</Link>
                  </Button>
                  <Button asChild size="sm" variant="outline">
                    <Link href={`/predict?${datasetQuery}`}>Try a what-if prediction</Link>
                  </Button>
                </div>
              </CardContent>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle>Champion model</CardTitle>
                <CardDescription>Scores the customers and answers the prediction API.</CardDescription>
              </CardHeader>
              <CardContent>
                <dl className="grid grid-cols-2 gap-3 text-sm">
                  <dt className="text-muted-foreground">Model</dt>
                  <dd className="font-medium">
                    <Link
                      href={`/models/${champion.id}`}
                      className="text-primary underline-offset-4 hover:underline"
                    >
                      {modelTitle(champion)}
                    </Link>
                  </dd>
                  <dt className="text-muted-foreground">Model quality</dt>
                  <dd>
                    {plain?.champion?.quality.sentence ?? "—"}
                    <span className="block text-muted-foreground text-xs">
                      Technical figures (AUC, F1) are on the model page.
                    </span>
                  </dd>
                  <dt className="text-muted-foreground">Trained</dt>
                  <dd>
                    <RelativeTime value={champion.trainedAt} />
                  </dd>
                </dl>
              </CardContent>
            </Card>
          </div>

          <div className="grid gap-4 lg:grid-cols-3">
            <Card>
              <CardHeader>
                <CardTitle>Strongest churn drivers</CardTitle>
                <CardDescription>
                  What moves customers' risk most, on average: each column's share among the strongest eight.
                </CardDescription>
              </CardHeader>
              <CardContent>
                <BarList
                  label="Strongest churn drivers"
                  items={overview.importance.map((i) => ({ name: i.column, value: i.value }))}
                  format={(v) => {
                    const total = overview.importance.reduce((sum, i) => sum + i.value, 0);
                    return total > 0 ? `${Math.round((v / total) * 100)} %` : "—";
                  }}
                />
              </CardContent>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle>Why high-risk customers are at risk</CardTitle>
                <CardDescription>
                  Columns among the top three risk-raising drivers of active high-risk customers.
                </CardDescription>
              </CardHeader>
              <CardContent>
                {overview.highRiskDrivers.length ? (
                  <BarList
                    label="Drivers of high-risk customers"
                    items={overview.highRiskDrivers.map((d) => ({ name: d.column, value: d.customers }))}
                    format={(v) => `${v.toLocaleString("en-US")} customers`}
                  />
                ) : (
                  <p className="text-muted-foreground text-sm">No active customer is at high risk.</p>
                )}
              </CardContent>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle>Recent training runs</CardTitle>
                <CardDescription>
                  <Link
                    href={`/train?${datasetQuery}`}
                    className="text-primary underline-offset-4 hover:underline"
                  >
                    Open training
                  </Link>
                </CardDescription>
              </CardHeader>
              <CardContent>
                <ul className="space-y-2 text-sm">
                  {overview.recentRuns.map((run) => (
                    <li key={run.id} className="flex items-center justify-between gap-2">
                      <span>
                        Run #{run.id}{" "}
                        <span className="text-muted-foreground">
                          {run.trigger === "manual" ? "" : `(${run.trigger}) `}
                          <RelativeTime value={run.createdAt} />
                        </span>
                      </span>
                      <RunStatusBadge status={run.status} />
                    </li>
                  ))}
                </ul>
              </CardContent>
            </Card>
          </div>
        </div>
      )}
    </>
  );
}

function Kpi({ label, value, hint, testId }: { label: string; value: string; hint: string; testId: string }) {
  return (
    <Card data-testid={testId}>
      <CardHeader>
        <CardDescription>{label}</CardDescription>
        <CardTitle className="text-3xl tabular-nums" data-testid={`${testId}-value`}>
          {value}
        </CardTitle>
      </CardHeader>
      <CardContent className="text-muted-foreground text-xs">{hint}</CardContent>
    </Card>
  );
}
