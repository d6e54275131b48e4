import { TRPCError } from "@trpc/server";
import { ArrowLeft, CalendarClock, Download, GitCompare } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ImportanceChart } from "@/components/charts/importance-chart";
import { DateTime } from "@/components/format/date-time";
import { PageHeader } from "@/components/layout/page-header";
import { ConfusionMatrix } from "@/components/models/confusion-matrix";
import {
  algorithmName,
  balancingPhrase,
  formatScore,
  formatSeconds,
  modelTitle,
} from "@/components/models/format";
import { MetricsTable } from "@/components/models/metrics-table";
import { ModelCharts } from "@/components/models/model-charts";
import { ModelStatusBadge } from "@/components/models/model-status-badge";
import { ParameterList } from "@/components/models/parameter-list";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { crossValidationSentence } from "@/lib/ml/evaluate/large-data";
import { getCurrentUser } from "@/server/auth/current-user";
import type { StoredModelParams } from "@/server/services/models";
import { serverApi } from "@/server/trpc/server";
import { cvVersusTestRows, viewOf } from "../model-view";
import { PromoteButton } from "./promote-button";
import { RollbackButton } from "./rollback-button";

export const metadata: Metadata = { title: "Model" };

async function load(modelId: number) {
  const api = await serverApi();
  try {
    const model = await api.models.get({ modelId });
    const siblings = await api.models.list({ datasetId: model.dataset.id, sort: "createdAt" });
    return { model, siblings };
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card className="gap-1 py-4">
      <CardHeader className="px-4">
        <CardDescription>{label}</CardDescription>
      </CardHeader>
      <CardContent className="px-4">
        <p className="font-semibold text-2xl tabular-nums">{value}</p>
        {hint && <p className="text-muted-foreground text-xs">{hint}</p>}
      </CardContent>
    </Card>
  );
}

export default async function ModelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const modelId = /^\d{1,9}$/.test(id) ? Number(id) : 0;
  if (!modelId) notFound();
  const [{ model, siblings }, user] = await Promise.all([load(modelId), getCurrentUser()]);
  const canPromote = user?.role === "manager" || user?.role === "admin";
  const view = viewOf(model);
  const title = modelTitle(model);
  const champion = siblings.find((m) => m.status === "champion");
  const previousChampion = siblings
    .filter((m) => m.status === "archived" && m.promotedAt)
    .sort((a, b) => (b.promotedAt?.getTime() ?? 0) - (a.promotedAt?.getTime() ?? 0))[0];
  const { cv, test } = view.metrics;

  return (
    <>
      <Link
        href={`/models?dataset=${model.dataset.id}`}
        className="mb-3 inline-flex items-center gap-1 text-muted-foreground text-sm hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden="true" /> Leaderboard
      </Link>
      <PageHeader
        title={title}
        description={
          <>
            <ModelStatusBadge status={model.status} /> Trained on {model.dataset.name} v
            {model.datasetVersion.version} · threshold {model.threshold.toFixed(3)} (max churn-class F1 on
            out-of-fold predictions)
          </>
        }
        actions={
          <div className="flex flex-wrap gap-2">
            <Button asChild variant="outline">
              <Link href={`/datasets/${model.dataset.id}/retraining`}>
                <CalendarClock aria-hidden="true" />
                Challenger history
              </Link>
            </Button>
            {champion && champion.id !== model.id && (
              <Button asChild variant="outline">
                <Link href={`/models/compare?a=${champion.id}&b=${model.id}`}>
                  <GitCompare aria-hidden="true" />
                  Compare with champion
                </Link>
              </Button>
            )}
            {canPromote && (
              <Button asChild variant="outline">
                <a href={`/api/models/${model.id}/artifact`} download>
                  <Download aria-hidden="true" />
                  Download model
                </a>
              </Button>
            )}
            {canPromote && model.status === "champion" && previousChampion && (
              <RollbackButton
                datasetId={model.dataset.id}
                datasetName={model.dataset.name}
                previous={{ id: previousChampion.id, title: modelTitle(previousChampion) }}
              />
            )}
            {canPromote && model.status !== "champion" && (
              <PromoteButton
                modelId={model.id}
                title={title}
                datasetName={model.dataset.name}
                currentChampion={champion ? modelTitle(champion) : null}
              />
            )}
          </div>
        }
      />

      <div className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-6">
        <Stat
          label="CV AUC"
          value={formatScore(model.cvAuc)}
          hint={`How often a leaver is ranked above a stayer · ± ${formatScore(model.cvAucStd)} over ${cv.folds} folds`}
        />
        <Stat
          label="Test AUC"
          value={formatScore(test.rocAuc)}
          hint={`The same on ${test.rows.toLocaleString("en-US")} held-out customers`}
        />
        <Stat
          label="Churn-class F1"
          value={formatScore(model.f1Churn)}
          hint="Catching leavers vs. false alarms, for leavers (cross-validated)"
        />
        <Stat
          label="Weighted F1 (at threshold)"
          value={formatScore(model.f1Weighted)}
          hint={`The same balance over leavers and stayers, by size, at the threshold ${model.threshold.toFixed(3)}${
            cv.f1WeightedAtHalf === undefined ? "" : ` · at 0.5: ${formatScore(cv.f1WeightedAtHalf)}`
          }`}
        />
        <Stat
          label="Brier score"
          value={formatScore(model.brier, 4)}
          hint="Average squared error of the risk: lower is better"
        />
        <Stat
          label="Fit time"
          value={formatSeconds(model.fitSeconds)}
          hint={`${view.metrics.trainingRows.toLocaleString("en-US")} training rows`}
        />
      </div>

      <section className="mt-6 space-y-4" aria-labelledby="curves-heading">
        <h2 id="curves-heading" className="font-semibold text-lg">
          Held-out test performance
        </h2>
        <ModelCharts
          models={[{ name: title, ...view.curves.test }]}
          positiveRate={test.positiveRate ?? null}
        />
      </section>

      <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle className="text-base">Confusion matrix</CardTitle>
            <CardDescription>
              Held-out test customers; slide the threshold to trade missed churners for false alarms.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ConfusionMatrix histogram={view.curves.scoreHistogram} modelThreshold={model.threshold} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle className="text-base">What drives the predictions</CardTitle>
            <CardDescription>
              Mean |SHAP value| per column (log-odds) on held-out customers; one-hot parts and engineered
              features are counted in the columns they come from.
            </CardDescription>
          </CardHeader>
          <CardContent>
            {model.importance.length > 0 ? (
              <ImportanceChart rows={model.importance} />
            ) : (
              <p className="text-muted-foreground text-sm">
                Not explained yet: the run stopped before its explain step.
              </p>
            )}
          </CardContent>
        </Card>
      </div>

      <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle className="text-base">Metrics</CardTitle>
            <CardDescription>
              Cross-validated on the training part (each fold judged at a threshold chosen without it) and on
              the held-out test part at the model&apos;s threshold.
            </CardDescription>
          </CardHeader>
          <CardContent className="px-0">
            <MetricsTable columns={["Cross-validated", "Held-out test"]} rows={cvVersusTestRows(view)} />
          </CardContent>
        </Card>
        <div className="space-y-4">
          <Card>
            <CardHeader>
              <CardTitle className="text-base">Lineage</CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
                <dt className="text-muted-foreground">Dataset</dt>
                <dd>
                  <Link
                    href={`/datasets/${model.dataset.id}?version=${model.datasetVersion.id}`}
                    className="text-primary underline-offset-4 hover:underline"
                  >
                    {model.dataset.name}
                  </Link>{" "}
                  v{model.datasetVersion.version}
                </dd>
                <dt className="text-muted-foreground">File</dt>
                <dd className="break-all">
                  {model.datasetVersion.fileName} · {model.datasetVersion.rowCount.toLocaleString("en-US")}{" "}
                  rows
                </dd>
                <dt className="text-muted-foreground">File SHA-256</dt>
                <dd className="break-all font-mono text-xs">{model.datasetVersion.sha256}</dd>
                <dt className="text-muted-foreground">Trained by</dt>
                <dd>
                  {model.trainedBy
                    ? model.trainedBy.email
                      ? `${model.trainedBy.name} (${model.trainedBy.email})`
                      : model.trainedBy.name
                    : model.run.trigger === "manual"
                      ? "a deleted user"
                      : model.run.trigger}
                </dd>
                <dt className="text-muted-foreground">Trained</dt>
                <dd>
                  <DateTime value={model.createdAt} style="dateTimeSeconds" /> in{" "}
                  <Link
                    href={`/train?run=${model.run.id}`}
                    className="text-primary underline-offset-4 hover:underline"
                  >
                    run #{model.run.id}
                  </Link>
                </dd>
                {model.promotedAt && (
                  <>
                    <dt className="text-muted-foreground">Last promoted</dt>
                    <dd>
                      <DateTime value={model.promotedAt} style="dateTimeSeconds" />
                    </dd>
                  </>
                )}
                <dt className="text-muted-foreground">Artifact SHA-256</dt>
                <dd className="break-all font-mono text-xs">{model.artifactSha256}</dd>
              </dl>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle className="text-base">Parameters</CardTitle>
              <CardDescription>
                {algorithmName(model.algorithm)} · {balancingPhrase(view.params.balancing)} ·{" "}
                {view.params.folds} folds · seed {view.params.seed} ·{" "}
                {Math.round(view.params.testFraction * 100)} % held out
              </CardDescription>
            </CardHeader>
            <CardContent className="space-y-4">
              <p className="text-sm">
                {crossValidationSentence({
                  rows: view.metrics.crossValidationRows ?? view.metrics.trainingRows,
                  of: view.metrics.trainingRows,
                  folds: view.params.folds,
                })}
                {view.metrics.finalFitRows !== undefined &&
                  view.metrics.finalFitRows < view.metrics.trainingRows &&
                  ` Above ${view.metrics.finalFitRows.toLocaleString("en-US")} rows this algorithm fits on a stratified sample of that many.`}
              </p>
              {view.params.blend && (
                <p className="text-sm">
                  Blend of {algorithmName(view.params.blend.members[0]).toLowerCase()} (weight{" "}
                  {view.params.blend.weight.toFixed(2)}) and{" "}
                  {algorithmName(view.params.blend.members[1]).toLowerCase()} (weight{" "}
                  {(1 - view.params.blend.weight).toFixed(2)}),{" "}
                  {view.params.blend.space === "logit" ? "averaged in log-odds." : "averaged in probability."}{" "}
                  The weight was chosen on out-of-fold predictions. Explanations combine the members&apos;
                  SHAP values with the same weights.
                </p>
              )}
              {view.params.tuning && <TuningSummary tuning={view.params.tuning} />}
              {!view.params.blend && <ParameterList params={view.params.classifier} />}
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}

function TuningSummary({ tuning }: { tuning: NonNullable<StoredModelParams["tuning"]> }) {
  const chosen = Object.entries(tuning.chosen);
  return (
    <div className="space-y-1 text-sm" data-testid="tuning-summary">
      <p className="font-medium">Hyper-parameter search: {tuning.budget}</p>
      {tuning.skipped ? (
        <p className="text-muted-foreground">Recommended settings kept: {tuning.skipped}.</p>
      ) : (
        <p className="text-muted-foreground">
          {tuning.candidates} settings compared on{" "}
          {tuning.innerFolds === 1 ? "an inner split" : `${tuning.innerFolds} inner folds`} of the training
          rows (inner AUC {formatScore(tuning.innerAuc)}; the CV AUC above judged the search on rows it never
          saw).{" "}
          {chosen.length === 0
            ? "The recommended settings won."
            : `Chosen: ${chosen.map(([k, v]) => `${k} ${String(v)}`).join(", ")}.`}
        </p>
      )}
    </div>
  );
}
