"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, CheckCircle2, Loader2, RefreshCw, RotateCcw } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { DriftHistogram } from "@/components/drift/drift-histogram";
import { DriftLevelBadge, formatPsi } from "@/components/drift/drift-level-badge";
import { DateTime } from "@/components/format/date-time";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import type { DriftOverview } from "@/server/services/drift";

const ALGORITHMS: Record<string, string> = {
  logistic_regression: "Logistic regression",
  random_forest: "Random forest",
  gradient_boosting: "Gradient boosting",
  svm: "SVM",
};

const isActive = (status: string) => status === "queued" || status === "running";
const percent = (v: number, digits = 1) => `${(v * 100).toFixed(digits)} %`;
const points = (v: number) => `${v >= 0 ? "+" : "−"}${Math.abs(v * 100).toFixed(1)} points`;

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border px-4 py-3">
      <p className="text-muted-foreground text-xs">{label}</p>
      <p className="font-semibold text-xl tabular-nums">{value}</p>
      {hint && <p className="text-muted-foreground text-xs">{hint}</p>}
    </div>
  );
}

export function DriftWorkspace({
  datasetId,
  canCheck,
  initial,
}: {
  datasetId: number;
  canCheck: boolean;
  initial: DriftOverview;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const overview = useQuery({
    ...trpc.drift.overview.queryOptions({ datasetId }),
    initialData: initial,
    // Poll while a check is queued or running; the result lands on the report row.
    refetchInterval: (query) => (query.state.data?.reports.some((r) => isActive(r.status)) ? 1_500 : false),
  });
  const data = overview.data;
  const reports = data.reports;
  const [chosen, setChosen] = useState<number | null>(null);
  const selectedId =
    chosen !== null && reports.some((r) => r.id === chosen)
      ? chosen
      : (reports.find((r) => r.status === "succeeded")?.id ?? reports[0]?.id ?? null);
  const selectedRow = reports.find((r) => r.id === selectedId) ?? null;
  const detail = useQuery({
    ...trpc.drift.report.queryOptions({ reportId: selectedId ?? 0 }),
    enabled: selectedId !== null && selectedRow?.status === "succeeded",
  });
  const checkNow = useMutation(
    trpc.drift.checkNow.mutationOptions({
      onSuccess: (result) => {
        toast.success(
          `Checking ${result.reports.length} ${result.reports.length === 1 ? "comparison" : "comparisons"} against the training data`,
        );
        queryClient.invalidateQueries({ queryKey: trpc.drift.overview.queryKey({ datasetId }) });
        queryClient.invalidateQueries({ queryKey: trpc.drift.report.queryKey() });
        queryClient.invalidateQueries({ queryKey: trpc.drift.alerts.queryKey() });
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const champion = data.champion;
  if (!champion) return null;
  const canCompare = data.newerVersions > 0 || data.scoredFiles > 0;
  const result = detail.data?.result ?? null;

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="space-y-1.5">
            <CardTitle>Compared with the champion's training data</CardTitle>
            <CardDescription>
              {ALGORITHMS[champion.algorithm] ?? champion.algorithm} v{champion.modelVersion}, trained on
              version {champion.baselineVersion}. Each newer version and each scored file is checked against
              it, column by column (population stability index, PSI), weighted by how much the model relies on
              the column.
            </CardDescription>
          </div>
          <div className="flex shrink-0 gap-2">
            {canCheck && (
              <Button
                variant="outline"
                onClick={() => checkNow.mutate({ datasetId })}
                disabled={checkNow.isPending || !canCompare}
                title={canCompare ? undefined : "Upload a newer version or score a file first"}
              >
                {checkNow.isPending ? (
                  <Loader2 className="animate-spin" aria-hidden="true" />
                ) : (
                  <RefreshCw aria-hidden="true" />
                )}
                Check now
              </Button>
            )}
            <Button asChild>
              <Link href={`/train?dataset=${datasetId}`}>
                <RotateCcw aria-hidden="true" />
                Retrain now
              </Link>
            </Button>
          </div>
        </CardHeader>
        <CardContent>
          {reports.length === 0 ? (
            <div className="rounded-lg border border-dashed px-4 py-8 text-center text-muted-foreground text-sm">
              <p className="font-medium text-foreground">No drift checks yet</p>
              <p className="mx-auto mt-1 max-w-lg">
                A check runs by itself when a new version of this dataset is uploaded (upload a file under the
                same dataset name) or a file is scored with the champion.
                {canCheck && canCompare ? " Or start one now with “Check now”." : ""}
              </p>
            </div>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Data</TableHead>
                  <TableHead>Checked</TableHead>
                  <TableHead className="text-right">Customers</TableHead>
                  <TableHead>Verdict</TableHead>
                  <TableHead className="text-right">Weighted PSI</TableHead>
                  <TableHead className="text-right">Risk PSI</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {reports.map((r) => (
                  <TableRow
                    key={r.id}
                    data-state={r.id === selectedId ? "selected" : undefined}
                    className="cursor-pointer"
                    onClick={() => setChosen(r.id)}
                  >
                    <TableCell>
                      <button
                        type="button"
                        className="text-left font-medium hover:underline focus-visible:underline focus-visible:outline-none"
                        aria-pressed={r.id === selectedId}
                        onClick={() => setChosen(r.id)}
                      >
                        {r.source.label}
                      </button>
                      <span className="block text-muted-foreground text-xs">
                        {r.source.kind === "version" ? "New dataset version" : "Scored file"}
                        {r.trigger === "manual" ? " · checked on demand" : ""}
                      </span>
                    </TableCell>
                    <TableCell className="text-sm">
                      {r.finishedAt ? <DateTime value={r.finishedAt} /> : <DateTime value={r.createdAt} />}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {r.rows?.toLocaleString("en-US") ?? "–"}
                    </TableCell>
                    <TableCell>
                      {r.status === "succeeded" && r.level ? (
                        <DriftLevelBadge level={r.level} />
                      ) : isActive(r.status) ? (
                        <Badge variant="secondary" className="gap-1">
                          <Loader2 className="size-3 animate-spin" aria-hidden="true" />
                          Checking…
                        </Badge>
                      ) : (
                        <Badge variant="destructive" title={r.error ?? undefined}>
                          Check failed
                        </Badge>
                      )}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{formatPsi(r.weightedPsi)}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatPsi(r.riskPsi)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>

      {selectedRow && selectedRow.status === "failed" && (
        <Alert variant="destructive">
          <AlertTriangle aria-hidden="true" />
          <AlertTitle>The check of {selectedRow.source.label} failed</AlertTitle>
          <AlertDescription>{selectedRow.error ?? "Unknown error."}</AlertDescription>
        </Alert>
      )}
      {selectedRow && isActive(selectedRow.status) && (
        <Card aria-busy="true">
          <CardHeader>
            <CardTitle>Checking {selectedRow.source.label}…</CardTitle>
            <CardDescription>
              Binning the training data and counting the new rows into the same bins.
            </CardDescription>
          </CardHeader>
          <CardContent className="space-y-2">
            <Skeleton className="h-8 w-full" />
            <Skeleton className="h-8 w-2/3" />
          </CardContent>
        </Card>
      )}
      {selectedRow?.status === "succeeded" && !result && (
        <div className="space-y-3" aria-busy="true">
          <Skeleton className="h-20 w-full" />
          <Skeleton className="h-64 w-full" />
        </div>
      )}
      {selectedRow?.status === "succeeded" && result && (
        <section aria-label={`Drift of ${selectedRow.source.label}`} className="space-y-6">
          <Alert
            variant={result.level === "significant" ? "destructive" : "default"}
            className={cn(result.level === "moderate" && "border-amber-500/40")}
          >
            {result.level === "stable" ? (
              <CheckCircle2 aria-hidden="true" />
            ) : (
              <AlertTriangle aria-hidden="true" />
            )}
            <AlertTitle className="flex flex-wrap items-center gap-2">
              {selectedRow.source.label} against version {champion.baselineVersion}
              <DriftLevelBadge level={result.level} />
            </AlertTitle>
            <AlertDescription>
              <p data-testid="drift-verdict">{result.verdict}</p>
              {result.level !== "stable" && (
                <p className="mt-1">
                  <Link
                    href={`/train?dataset=${datasetId}`}
                    className="font-medium underline underline-offset-4"
                  >
                    Retrain now
                  </Link>{" "}
                  on the newest version to bring the model up to date.
                </p>
              )}
            </AlertDescription>
          </Alert>

          <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <Stat
              label="Weighted PSI"
              value={formatPsi(result.weightedPsi)}
              hint="Σ column PSI × importance share"
            />
            <Stat
              label="Predicted risk PSI"
              value={formatPsi(result.risk?.psi)}
              hint={
                result.risk
                  ? `${result.risk.level === "stable" ? "scores look alike" : "scores moved"}`
                  : undefined
              }
            />
            <Stat
              label="Observed churn rate"
              value={result.churn ? percent(result.churn.currentRate) : "No labels"}
              hint={
                result.churn
                  ? `${points(result.churn.change)} vs ${percent(result.churn.baselineRate)} in training`
                  : "the new data has no churn column"
              }
            />
            <Stat
              label="Customers compared"
              value={result.rows.toLocaleString("en-US")}
              hint={`with ${result.baselineRows.toLocaleString("en-US")} in training`}
            />
          </div>

          {result.risk && (
            <Card>
              <CardHeader>
                <CardTitle>Predicted risk, before and after</CardTitle>
                <CardDescription>
                  Share of customers in each risk band of the training data (its deciles), scored by the
                  champion.
                </CardDescription>
              </CardHeader>
              <CardContent>
                <DriftHistogram bins={result.risk.bins} label="Predicted risk" />
              </CardContent>
            </Card>
          )}

          <Card>
            <CardHeader>
              <CardTitle>Columns, most consequential first</CardTitle>
              <CardDescription>
                Sorted by PSI × the column's share of the model's importance. Below 0.1 is stable, 0.1–0.2
                moderate, above 0.2 significant. Bars: training (amber) and new data (blue) per bin.
              </CardDescription>
            </CardHeader>
            <CardContent className="overflow-x-auto">
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Column</TableHead>
                    <TableHead className="text-right">Importance</TableHead>
                    <TableHead className="text-right">PSI</TableHead>
                    <TableHead className="text-right">PSI × importance</TableHead>
                    <TableHead>Verdict</TableHead>
                    <TableHead className="w-48 min-w-40">Before / after</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {result.columns.map((c) => (
                    <TableRow key={c.column}>
                      <TableCell className="font-medium">
                        {c.column}
                        {c.isImportant && (
                          <span
                            className="ml-2 text-muted-foreground text-xs"
                            title="The model relies on this column"
                          >
                            important
                          </span>
                        )}
                        {c.isAbsent && (
                          <span className="block text-red-600 text-xs dark:text-red-400">
                            missing from the new data
                          </span>
                        )}
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{percent(c.importance, 0)}</TableCell>
                      <TableCell className="text-right tabular-nums">{formatPsi(c.psi)}</TableCell>
                      <TableCell className="text-right tabular-nums">{c.weightedPsi.toFixed(3)}</TableCell>
                      <TableCell>
                        <DriftLevelBadge level={c.level} />
                      </TableCell>
                      <TableCell>
                        <DriftHistogram bins={c.bins} label={c.column} compact />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        </section>
      )}
    </div>
  );
}
