import { TRPCError } from "@trpc/server";
import { ArrowLeft, BrainCircuit } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ImportanceChart } from "@/components/charts/importance-chart";
import { DateTime } from "@/components/format/date-time";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { balancingPhrase, modelTitle } from "@/components/models/format";
import { MetricsTable } from "@/components/models/metrics-table";
import { ModelCharts } from "@/components/models/model-charts";
import { ModelStatusBadge } from "@/components/models/model-status-badge";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { ModelDetail } from "@/server/services/models";
import { serverApi } from "@/server/trpc/server";
import { compareRows, viewOf } from "../model-view";
import { ModelPicker } from "./model-picker";

export const metadata: Metadata = { title: "Compare models" };

function positiveInt(value: string | string[] | undefined): number | undefined {
  const n = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function Summary({ model, label }: { model: ModelDetail; label: string }) {
  const view = viewOf(model);
  return (
    <Card>
      <CardHeader>
        <CardDescription>{label}</CardDescription>
        <CardTitle className="flex flex-wrap items-center gap-2">
          <Link href={`/models/${model.id}`} className="text-primary underline-offset-4 hover:underline">
            {modelTitle(model)}
          </Link>
          <ModelStatusBadge status={model.status} />
        </CardTitle>
      </CardHeader>
      <CardContent className="space-y-1 text-muted-foreground text-sm">
        <p>
          {model.dataset.name} v{model.datasetVersion.version} · {balancingPhrase(view.params.balancing)} ·{" "}
          {view.params.folds} folds · threshold {model.threshold.toFixed(3)}
        </p>
        <p>
          Trained <DateTime value={model.createdAt} style="dateTime" />
          {model.trainedBy ? ` by ${model.trainedBy.name}` : ""}
        </p>
      </CardContent>
    </Card>
  );
}

export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const a = positiveInt(params.a);
  const b = positiveInt(params.b);
  const api = await serverApi();
  const choices = await api.models.list({ sort: "createdAt", limit: 200 });

  let compared: Awaited<ReturnType<typeof api.models.compare>> | null = null;
  let problem: string | null = null;
  if (a && b) {
    try {
      compared = await api.models.compare({ a, b });
    } catch (error) {
      if (error instanceof TRPCError && error.code === "NOT_FOUND") problem = error.message;
      else throw error;
    }
  }

  return (
    <>
      <Link
        href="/models"
        className="mb-3 inline-flex items-center gap-1 text-muted-foreground text-sm hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden="true" /> Leaderboard
      </Link>
      <PageHeader
        title="Compare models"
        description="Two models side by side: metrics, curves on held-out customers and what drives them."
      />
      {choices.length < 2 ? (
        <EmptyState icon={BrainCircuit} title="Not enough models to compare">
          Train at least two models to compare them here.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <Card>
            <CardContent>
              <ModelPicker models={choices} a={a} b={b} />
            </CardContent>
          </Card>
          {problem && (
            <Alert variant="destructive">
              <AlertDescription>{problem}</AlertDescription>
            </Alert>
          )}
          {compared && (
            <>
              {!compared.isSameDataset && (
                <Alert>
                  <AlertDescription>
                    These models were trained on different datasets, so their test customers differ: compare
                    their numbers with care.
                  </AlertDescription>
                </Alert>
              )}
              <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
                <Summary model={compared.a} label="Model A" />
                <Summary model={compared.b} label="Model B" />
              </div>
              <Card>
                <CardHeader>
                  <CardTitle className="text-base">Metrics</CardTitle>
                  <CardDescription>The better value of each row is highlighted.</CardDescription>
                </CardHeader>
                <CardContent className="px-0">
                  <MetricsTable
                    columns={[`A: ${modelTitle(compared.a)}`, `B: ${modelTitle(compared.b)}`]}
                    rows={compareRows([viewOf(compared.a), viewOf(compared.b)])}
                    highlightBest
                  />
                </CardContent>
              </Card>
              <ModelCharts
                models={[
                  { name: `A: ${modelTitle(compared.a)}`, ...viewOf(compared.a).curves.test },
                  { name: `B: ${modelTitle(compared.b)}`, ...viewOf(compared.b).curves.test },
                ]}
                positiveRate={
                  compared.isSameDataset ? (viewOf(compared.a).metrics.test.positiveRate ?? null) : null
                }
              />
              <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
                {[compared.a, compared.b].map((model, i) => (
                  <Card key={model.id}>
                    <CardHeader>
                      <CardTitle className="text-base">
                        {i === 0 ? "A" : "B"}: what drives {modelTitle(model)}
                      </CardTitle>
                      <CardDescription>Mean |SHAP value| per column (log-odds).</CardDescription>
                    </CardHeader>
                    <CardContent>
                      {model.importance.length > 0 ? (
                        <ImportanceChart rows={model.importance} limit={10} />
                      ) : (
                        <p className="text-muted-foreground text-sm">Not explained.</p>
                      )}
                    </CardContent>
                  </Card>
                ))}
              </div>
            </>
          )}
        </div>
      )}
    </>
  );
}
