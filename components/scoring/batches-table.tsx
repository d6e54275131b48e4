"use client";

import { Download } from "lucide-react";
import { formatFileSize } from "@/components/datasets/format";
import { RelativeTime } from "@/components/format/date-time";
import { algorithmName } from "@/components/models/format";
import { RunStatusBadge } from "@/components/training/run-status-badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export interface BatchRow {
  id: number;
  datasetName: string;
  modelVersion: number;
  modelAlgorithm: string;
  fileName: string;
  sizeBytes: number;
  rowCount: number;
  rowsScored: number;
  status: string;
  error: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export const downloadHref = (batchId: number) => `/api/score-batches/${batchId}/download`;

/** Previous batches, newest first: status, model, rows, who and when, and the download. */
export function BatchesTable({
  batches,
  selectedId,
  onSelect,
}: {
  batches: BatchRow[];
  selectedId?: number | null;
  onSelect?: (batchId: number) => void;
}) {
  return (
    <div className="overflow-x-auto">
      <Table data-testid="batches-table">
        <TableHeader>
          <TableRow>
            <TableHead>File</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Model</TableHead>
            <TableHead className="text-right">Rows</TableHead>
            <TableHead>Started by</TableHead>
            <TableHead>When</TableHead>
            <TableHead className="sr-only">Actions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {batches.map((b) => (
            <TableRow key={b.id} data-state={b.id === selectedId ? "selected" : undefined}>
              <TableCell className="max-w-64">
                {onSelect ? (
                  <button
                    type="button"
                    className="block max-w-full truncate text-left font-medium hover:underline focus-visible:rounded-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                    title={b.fileName}
                    onClick={() => onSelect(b.id)}
                  >
                    {b.fileName}
                  </button>
                ) : (
                  <span className="block truncate font-medium" title={b.fileName}>
                    {b.fileName}
                  </span>
                )}
                <span className="text-muted-foreground text-xs">
                  {b.datasetName} · {formatFileSize(b.sizeBytes)}
                </span>
              </TableCell>
              <TableCell>
                <RunStatusBadge status={b.status} />
                {b.status === "failed" && b.error && (
                  <p className="mt-1 max-w-56 truncate text-destructive text-xs" title={b.error}>
                    {b.error}
                  </p>
                )}
              </TableCell>
              <TableCell className="whitespace-nowrap">
                v{b.modelVersion} · {algorithmName(b.modelAlgorithm)}
              </TableCell>
              <TableCell className="text-right tabular-nums">
                {b.status === "running" || b.status === "queued"
                  ? `${b.rowsScored.toLocaleString("en")} / ${b.rowCount.toLocaleString("en")}`
                  : b.rowCount.toLocaleString("en")}
              </TableCell>
              <TableCell>{b.createdBy ?? "—"}</TableCell>
              <TableCell className="whitespace-nowrap text-muted-foreground">
                <RelativeTime value={b.createdAt} />
              </TableCell>
              <TableCell className="text-right">
                {b.status === "succeeded" && (
                  <Button asChild variant="ghost" size="sm">
                    <a href={downloadHref(b.id)} download aria-label={`Download the scored ${b.fileName}`}>
                      <Download aria-hidden="true" />
                      Download
                    </a>
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
