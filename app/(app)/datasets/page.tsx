import { Database, Upload } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { formatCount, formatRate } from "@/components/datasets/format";
import { RelativeTime } from "@/components/format/date-time";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getCurrentUser } from "@/server/auth/current-user";
import { serverApi } from "@/server/trpc/server";
import { DatasetsSkeleton } from "./datasets-skeleton";

export const metadata: Metadata = { title: "Datasets" };

function UploadButton() {
  return (
    <Button asChild>
      <Link href="/datasets/upload">
        <Upload aria-hidden="true" />
        Upload CSV
      </Link>
    </Button>
  );
}

async function DatasetsList() {
  const user = await getCurrentUser();
  const canUpload = user?.role === "manager" || user?.role === "admin";
  const datasets = await (await serverApi()).datasets.list();

  return (
    <>
      <PageHeader
        title="Datasets"
        description="Customer tables you have imported, with their versions and profiles. Each model records the dataset version it was trained on."
        actions={canUpload && datasets.length > 0 ? <UploadButton /> : undefined}
      />
      {datasets.length === 0 ? (
        <EmptyState icon={Database} title="No datasets yet" action={canUpload ? <UploadButton /> : undefined}>
          Upload a customer CSV (one row per customer, with a churn column) to see its profile: rows, churn
          rate and each column&apos;s distribution.{" "}
          {canUpload
            ? "The file is checked and previewed before anything is imported."
            : "Ask a manager to upload one."}
        </EmptyState>
      ) : (
        <Card className="py-0">
          <CardContent className="px-0">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="pl-6">Dataset</TableHead>
                  <TableHead className="text-right">Rows</TableHead>
                  <TableHead className="text-right">Churn rate</TableHead>
                  <TableHead className="hidden text-right sm:table-cell">Versions</TableHead>
                  <TableHead className="hidden md:table-cell">Latest file</TableHead>
                  <TableHead className="hidden pr-6 lg:table-cell">Last import</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {datasets.map((dataset) => (
                  <TableRow key={dataset.id} data-testid={`dataset-row-${dataset.id}`}>
                    <TableCell className="max-w-72 pl-6">
                      <Link
                        href={`/datasets/${dataset.id}`}
                        className="font-medium text-primary underline-offset-4 hover:underline focus-visible:underline"
                      >
                        {dataset.name}
                      </Link>
                      {dataset.description && (
                        <p className="truncate text-muted-foreground text-xs">{dataset.description}</p>
                      )}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {dataset.latest ? formatCount(dataset.latest.rowCount) : "—"}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatRate(dataset.latest?.positiveRate)}
                    </TableCell>
                    <TableCell className="hidden text-right sm:table-cell">
                      <Badge variant="secondary">v{dataset.latest?.version ?? 0}</Badge>
                      <span className="sr-only"> of {dataset.versionCount}</span>
                      {dataset.versionCount > 1 && (
                        <span className="ml-1 text-muted-foreground text-xs" aria-hidden="true">
                          ({dataset.versionCount})
                        </span>
                      )}
                    </TableCell>
                    <TableCell className="hidden max-w-56 truncate text-muted-foreground md:table-cell">
                      {dataset.latest?.fileName ?? "—"}
                    </TableCell>
                    <TableCell className="hidden pr-6 text-muted-foreground lg:table-cell">
                      {dataset.latest ? (
                        <>
                          <RelativeTime value={dataset.latest.createdAt} />
                          {dataset.latest.createdByName ? ` by ${dataset.latest.createdByName}` : ""}
                        </>
                      ) : (
                        "—"
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
    </>
  );
}

export default function DatasetsPage() {
  return (
    <Suspense fallback={<DatasetsSkeleton />}>
      <DatasetsList />
    </Suspense>
  );
}
