"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { RelativeTime } from "@/components/format/date-time";
import { algorithmName } from "@/components/models/format";
import { RunStatusBadge } from "@/components/training/run-status-badge";
import { useTRPC } from "@/components/trpc/client";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import type { RunListItem } from "@/server/services/training/runs";

export function RecentRuns({
  initialRuns,
  selectedRunId,
}: {
  initialRuns: RunListItem[];
  selectedRunId: number | null;
}) {
  const trpc = useTRPC();
  const runs = useQuery({
    ...trpc.training.list.queryOptions({ limit: 20 }),
    initialData: initialRuns,
    refetchInterval: (query) =>
      query.state.data?.some((r) => r.status === "queued" || r.status === "running") ? 10_000 : false,
  });
  return (
    <Card className="pb-0">
      <CardHeader>
        <CardTitle>Recent runs</CardTitle>
      </CardHeader>
      <CardContent className="px-0">
        {runs.isError && (
          <p role="alert" className="px-6 pb-4 text-destructive text-sm">
            Could not refresh the runs: {runs.error.message}
          </p>
        )}
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead className="pl-6">Run</TableHead>
              <TableHead>Dataset</TableHead>
              <TableHead className="hidden md:table-cell">Algorithms</TableHead>
              <TableHead className="text-right">Progress</TableHead>
              <TableHead>Status</TableHead>
              <TableHead className="hidden pr-6 lg:table-cell">Started</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {runs.data.map((run) => (
              <TableRow key={run.id} className={cn(run.id === selectedRunId && "bg-muted/50")}>
                <TableCell className="pl-6">
                  <Link
                    href={`/train?run=${run.id}`}
                    className="font-medium text-primary underline-offset-4 hover:underline focus-visible:underline"
                    aria-current={run.id === selectedRunId ? "page" : undefined}
                  >
                    #{run.id}
                  </Link>
                </TableCell>
                <TableCell className="max-w-48 truncate">
                  {run.datasetName}{" "}
                  <span className="text-muted-foreground text-xs">v{run.datasetVersion}</span>
                </TableCell>
                <TableCell className="hidden max-w-72 truncate text-muted-foreground md:table-cell">
                  {run.params.algorithms.map(algorithmName).join(", ")}
                </TableCell>
                <TableCell className="text-right tabular-nums">{Math.round(run.progress * 100)} %</TableCell>
                <TableCell>
                  <RunStatusBadge status={run.status} />
                </TableCell>
                <TableCell className="hidden pr-6 text-muted-foreground lg:table-cell">
                  <RelativeTime value={run.createdAt} />
                  {run.createdByName
                    ? ` by ${run.createdByName}`
                    : run.trigger !== "manual"
                      ? ` (${run.trigger})`
                      : ""}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
