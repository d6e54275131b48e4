"use client";

import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { DateTime } from "@/components/format/date-time";
import { Checkbox } from "@/components/ui/checkbox";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import { algorithmName, formatAucWithStd, formatScore, formatSeconds } from "./format";
import { ModelStatusBadge } from "./model-status-badge";

export type LeaderboardSortKey =
  | "cvAuc"
  | "f1Churn"
  | "f1Weighted"
  | "brier"
  | "fitSeconds"
  | "createdAt"
  | "version";

export interface LeaderboardEntry {
  id: number;
  algorithm: string;
  version: number;
  status: string;
  datasetName: string;
  datasetVersion: number;
  cvAuc: number;
  cvAucStd: number;
  f1Churn: number;
  f1Weighted: number;
  brier: number;
  fitSeconds: number;
  createdAt: Date;
}

interface Column {
  key: LeaderboardSortKey;
  label: string;
  hint: string;
  /**
   * Which widths show the column. The header and every cell take it from here, so they can never
   * disagree (they did: a header shown from xl and its cells from 2xl put the Status badges under
   * the wrong column between 1280 and 1535 px).
   */
  visibility?: string;
  cell: (row: LeaderboardEntry) => ReactNode;
}

const COLUMNS: Column[] = [
  {
    key: "cvAuc",
    label: "CV AUC ± std",
    hint: "Mean ROC AUC over the cross-validation folds, ± its standard deviation",
    cell: (row) => formatAucWithStd(row.cvAuc, row.cvAucStd),
  },
  {
    key: "f1Churn",
    label: "Churn-class F1",
    hint: "F1 of the churn class at the model's threshold (cross-validated)",
    cell: (row) => formatScore(row.f1Churn),
  },
  {
    key: "f1Weighted",
    label: "Weighted F1",
    hint: "Both classes' F1, weighted by their size (cross-validated)",
    visibility: "hidden md:table-cell",
    cell: (row) => formatScore(row.f1Weighted),
  },
  {
    key: "brier",
    label: "Brier",
    hint: "Mean squared error of the probabilities (lower is better)",
    visibility: "hidden lg:table-cell",
    cell: (row) => formatScore(row.brier, 4),
  },
  {
    key: "fitSeconds",
    label: "Fit time",
    hint: "Time to fit the final model on the training part",
    visibility: "hidden lg:table-cell",
    cell: (row) => formatSeconds(row.fitSeconds),
  },
  {
    key: "createdAt",
    label: "Created",
    hint: "When the model was trained",
    visibility: "hidden xl:table-cell",
    cell: (row) => <DateTime value={row.createdAt} style="monthDayTime" className="whitespace-nowrap" />,
  },
];

function SortButton({
  column,
  sort,
  direction,
  onSort,
}: {
  column: Column;
  sort: LeaderboardSortKey;
  direction: "asc" | "desc";
  onSort: (key: LeaderboardSortKey) => void;
}) {
  const isActive = sort === column.key;
  const Icon = isActive ? (direction === "asc" ? ArrowUp : ArrowDown) : ArrowUpDown;
  return (
    <button
      type="button"
      onClick={() => onSort(column.key)}
      title={column.hint}
      className={cn(
        "-mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 font-medium hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
        isActive ? "text-foreground" : "text-muted-foreground",
      )}
    >
      {column.label}
      <Icon className="size-3.5" aria-hidden="true" />
    </button>
  );
}

/** The model leaderboard: sortable headers (sorting happens on the server), champion highlighted. */
export function LeaderboardTable({
  rows,
  sort,
  direction,
  onSort,
  selected,
  onToggleSelected,
}: {
  rows: LeaderboardEntry[];
  sort: LeaderboardSortKey;
  direction: "asc" | "desc";
  onSort: (key: LeaderboardSortKey) => void;
  /** Models picked for comparison (at most two). */
  selected: number[];
  onToggleSelected: (id: number) => void;
}) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead className="w-10 pl-4">
            <span className="sr-only">Compare</span>
          </TableHead>
          <TableHead>Model</TableHead>
          <TableHead className="hidden sm:table-cell">Dataset</TableHead>
          {COLUMNS.map((column) => (
            <TableHead
              key={column.key}
              className={cn("text-right", column.visibility)}
              aria-sort={sort === column.key ? (direction === "asc" ? "ascending" : "descending") : "none"}
            >
              <SortButton column={column} sort={sort} direction={direction} onSort={onSort} />
            </TableHead>
          ))}
          <TableHead className="pr-4">Status</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => {
          const isChampion = row.status === "champion";
          const isSelected = selected.includes(row.id);
          return (
            <TableRow
              key={row.id}
              data-testid={`model-row-${row.id}`}
              data-state={isSelected ? "selected" : undefined}
              className={cn(isChampion && "bg-success/5")}
            >
              <TableCell className="pl-4">
                <Checkbox
                  checked={isSelected}
                  disabled={!isSelected && selected.length >= 2}
                  onCheckedChange={() => onToggleSelected(row.id)}
                  aria-label={`Compare ${algorithmName(row.algorithm)} v${row.version}`}
                />
              </TableCell>
              <TableCell>
                <Link
                  href={`/models/${row.id}`}
                  className="font-medium text-primary underline-offset-4 hover:underline focus-visible:underline"
                >
                  {algorithmName(row.algorithm)}
                </Link>
                <span className="ml-1 text-muted-foreground text-xs">v{row.version}</span>
              </TableCell>
              <TableCell className="hidden max-w-48 truncate text-muted-foreground sm:table-cell">
                {row.datasetName} <span className="text-xs">v{row.datasetVersion}</span>
              </TableCell>
              {COLUMNS.map((column) => (
                <TableCell
                  key={column.key}
                  className={cn(
                    "text-right tabular-nums",
                    column.key === "createdAt" && "text-muted-foreground",
                    column.visibility,
                  )}
                >
                  {column.cell(row)}
                </TableCell>
              ))}
              <TableCell className="pr-4">
                <ModelStatusBadge status={row.status} />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
