import { TRPCError } from "@trpc/server";
import { Activity, AlertTriangle, ArrowLeft, CalendarClock } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ColumnRoleBadges, ColumnTypeBadge } from "@/components/datasets/column-badges";
import { ColumnCharts } from "@/components/datasets/column-charts";
import { formatCount, formatFileSize, formatRate } from "@/components/datasets/format";
import { DateTime } from "@/components/format/date-time";
import { PageHeader } from "@/components/layout/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getCurrentUser } from "@/server/auth/current-user";
import type { ColumnProfile } from "@/server/services/datasets";
import { serverApi } from "@/server/trpc/server";
import { DeleteDatasetButton } from "./delete-dataset-button";
import { VersionSwitcher } from "./version-switcher";

export const metadata: Metadata = { title: "Dataset profile" };

function positiveInt(value: string | string[] | undefined): number | undefined {
  const n = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

async function load(id: number, versionId: number | undefined) {
  try {
    return await (await serverApi()).datasets.get({ id, versionId });
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
        {hint && (
          <p className="truncate text-muted-foreground text-xs" title={hint}>
            {hint}
          </p>
        )}
      </CardContent>
    </Card>
  );
}

function summaryOf(column: ColumnProfile): string {
  if (column.hiddenReason) return column.hiddenReason;
  if (column.numeric) {
    const { min, median, max } = column.numeric;
    const f = (n: number) => Number(n.toPrecision(4)).toLocaleString("en-US");
    return column.type === "date" ? "" : `${f(min)} · median ${f(median)} · ${f(max)}`;
  }
  const top = column.distribution?.[0];
  return top
    ? `Most often “${top.label}” (${formatRate(column.count ? top.count / column.count : null, 0)})`
    : "";
}

export default async function DatasetPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ version?: string | string[] }>;
}) {
  const id = positiveInt((await params).id);
  if (!id) notFound();
  const versionId = positiveInt((await searchParams).version);
  const [dataset, user] = await Promise.all([load(id, versionId), getCurrentUser()]);
  const canManage = user?.role === "manager" || user?.role === "admin";
  const selected = dataset.selected;
  const profile = selected?.profile && "columns" in selected.profile ? selected.profile : null;
  const features = selected?.schema.columns.filter((c) => c.role === "feature").length ?? 0;

  return (
    <>
      <Link
        href="/datasets"
        className="mb-3 inline-flex items-center gap-1 text-muted-foreground text-sm hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden="true" />
        Datasets
      </Link>
      <PageHeader
        title={dataset.name}
        description={dataset.description || undefined}
        actions={
          <>
            {dataset.versions.length > 0 && selected && (
              <VersionSwitcher
                datasetId={dataset.id}
                selectedId={selected.id}
                versions={dataset.versions.map((v) => ({
                  id: v.id,
                  version: v.version,
                  createdAt: v.createdAt,
                }))}
              />
            )}
            <Button asChild variant="outline">
              <Link href={`/datasets/${dataset.id}/retraining`}>
                <CalendarClock aria-hidden="true" />
                Retraining
              </Link>
            </Button>
            <Button asChild variant="outline">
              <Link href={`/drift?dataset=${dataset.id}`}>
                <Activity aria-hidden="true" />
                Drift
              </Link>
            </Button>
            {canManage && <DeleteDatasetButton datasetId={dataset.id} name={dataset.name} />}
          </>
        }
      />
      {!selected || !profile ? (
        <Alert>
          <AlertTitle>No version to show</AlertTitle>
          <AlertDescription>This dataset has no imported version.</AlertDescription>
        </Alert>
      ) : (
        <div className="space-y-6">
          <section aria-label="Summary" className="grid grid-cols-2 gap-4 lg:grid-cols-4">
            <Stat
              label="Customers"
              value={formatCount(profile.rowCount)}
              hint={`Version ${selected.version}`}
            />
            <Stat
              label="Churn rate"
              value={formatRate(profile.churnRate)}
              hint={
                profile.target
                  ? `${formatCount(profile.positives)} with ${profile.target} = ${profile.positiveLabel}`
                  : "No target"
              }
            />
            <Stat
              label="Columns"
              value={formatCount(selected.columnCount)}
              hint={`${features} used as features`}
            />
            <Stat
              label="File"
              value={formatFileSize(selected.sizeBytes)}
              hint={`${selected.fileName} · SHA-256 ${selected.sha256.slice(0, 12)}…`}
            />
          </section>
          <p className="text-muted-foreground text-sm">
            Imported <DateTime value={selected.createdAt} style="dateTime" />
            {selected.createdByName ? ` by ${selected.createdByName}` : ""}.
          </p>

          {selected.schema.warnings.length > 0 && (
            <Alert variant="warning">
              <AlertTriangle aria-hidden="true" />
              <AlertTitle>Worth knowing</AlertTitle>
              <AlertDescription>
                <ul className="list-disc space-y-1 pl-4">
                  {selected.schema.warnings.map((warning) => (
                    <li key={warning}>{warning}</li>
                  ))}
                </ul>
              </AlertDescription>
            </Alert>
          )}

          <Card>
            <CardHeader>
              <CardTitle>Columns</CardTitle>
              <CardDescription>
                Type and role of each column, missing values and distinct values over all{" "}
                {formatCount(profile.rowCount)} customers.
              </CardDescription>
            </CardHeader>
            <CardContent className="overflow-x-auto">
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Column</TableHead>
                    <TableHead>Type</TableHead>
                    <TableHead>Role</TableHead>
                    <TableHead className="text-right">Missing</TableHead>
                    <TableHead className="text-right">Distinct</TableHead>
                    <TableHead className="hidden text-right md:table-cell">Churn when missing</TableHead>
                    <TableHead className="hidden lg:table-cell">Summary</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {profile.columns.map((column) => (
                    <TableRow key={column.name}>
                      <TableCell className="max-w-48 truncate font-medium" title={column.name}>
                        {column.name}
                      </TableCell>
                      <TableCell>
                        <ColumnTypeBadge type={column.type} />
                      </TableCell>
                      <TableCell>
                        <ColumnRoleBadges
                          column={{
                            role: column.role,
                            exclusionReason: column.exclusionReason,
                            personalData: column.personalData,
                            singleColumnAuc:
                              selected.schema.columns.find((c) => c.name === column.name)?.singleColumnAuc ??
                              null,
                          }}
                        />
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {column.missing ? (
                          <>
                            {formatRate(column.missingRate, column.missingRate < 0.01 ? 2 : 1)}
                            <span className="block text-muted-foreground text-xs">
                              {formatCount(column.missing)}
                            </span>
                          </>
                        ) : (
                          "0 %"
                        )}
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {formatCount(column.distinct)}
                      </TableCell>
                      <TableCell className="hidden text-right tabular-nums md:table-cell">
                        {formatRate(column.missingChurnRate)}
                      </TableCell>
                      <TableCell className="hidden max-w-72 truncate text-muted-foreground lg:table-cell">
                        {summaryOf(column)}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>

          <section aria-labelledby="distributions-heading" className="space-y-3">
            <h2 id="distributions-heading" className="font-semibold text-lg">
              Distributions and churn rate by value
            </h2>
            <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
              {profile.columns.map((column) => (
                <Card key={column.name} className="gap-3">
                  <CardHeader>
                    <CardTitle className="truncate text-base" title={column.name}>
                      {column.name}
                    </CardTitle>
                    <CardDescription>
                      {column.distributionKind === "bins"
                        ? "Customers per range"
                        : column.distributionKind === "categories"
                          ? "Customers per value"
                          : "Not charted"}
                      {column.missing > 0 && ` · ${formatCount(column.missing)} missing`}
                    </CardDescription>
                  </CardHeader>
                  <CardContent>
                    {column.distribution ? (
                      <ColumnCharts
                        column={column.name}
                        buckets={column.distribution}
                        overallChurnRate={column.role === "target" ? null : profile.churnRate}
                      />
                    ) : (
                      <p className="py-10 text-center text-muted-foreground text-sm">{column.hiddenReason}</p>
                    )}
                  </CardContent>
                </Card>
              ))}
            </div>
          </section>
        </div>
      )}
    </>
  );
}
