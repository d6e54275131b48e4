"use client";

import { ArrowDown, ArrowUp, ArrowUpDown, Info } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { KeyboardEvent } from "react";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { cn } from "@/lib/utils";
import { type DriverEntry, DriverList } from "./driver-list";
import { formatMoney, formatRisk } from "./format";
import { LostBadge } from "./lost-badge";
import { RiskLevelBadge } from "./risk-level-badge";

export type CustomerSortKey = "risk" | "monthlyValue" | "revenueAtRisk" | "customerId";

export interface CustomerTableRow {
  id: number;
  externalId: string;
  riskScore: number;
  riskLevel: string;
  drivers: DriverEntry[];
  monthlyValue: number | null;
  revenueAtRisk: number | null;
  /** The churn column says this customer already left. */
  isLost: boolean;
}

function SortButton({
  label,
  sortKey,
  sort,
  direction,
  onSort,
}: {
  label: string;
  sortKey: CustomerSortKey;
  sort: CustomerSortKey;
  direction: "asc" | "desc";
  onSort: (key: CustomerSortKey) => void;
}) {
  const isActive = sort === sortKey;
  const Icon = isActive ? (direction === "asc" ? ArrowUp : ArrowDown) : ArrowUpDown;
  return (
    <button
      type="button"
      onClick={() => onSort(sortKey)}
      className={cn(
        "-mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 font-medium hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
        isActive ? "text-foreground" : "text-muted-foreground",
      )}
    >
      {label}
      <Icon className="size-3.5" aria-hidden="true" />
    </button>
  );
}

/**
 * Scored customers, sorted on the server. A row opens the customer's detail on click or Enter
 * (one tab stop per row: the row itself).
 */
export function CustomersTable({
  rows,
  sort,
  direction,
  onSort,
}: {
  rows: CustomerTableRow[];
  sort: CustomerSortKey;
  direction: "asc" | "desc";
  onSort: (key: CustomerSortKey) => void;
}) {
  const router = useRouter();
  const ariaSort = (key: CustomerSortKey) =>
    sort === key ? (direction === "asc" ? "ascending" : "descending") : "none";
  const open = (id: number) => router.push(`/customers/${id}`);
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, id: number) => {
    if (event.key === "Enter" && event.target === event.currentTarget) {
      event.preventDefault();
      open(id);
    }
  };
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead className="pl-4" aria-sort={ariaSort("customerId")}>
            <SortButton
              label="Customer"
              sortKey="customerId"
              sort={sort}
              direction={direction}
              onSort={onSort}
            />
          </TableHead>
          <TableHead className="text-right" aria-sort={ariaSort("risk")}>
            <SortButton label="Risk score" sortKey="risk" sort={sort} direction={direction} onSort={onSort} />
          </TableHead>
          <TableHead>Level</TableHead>
          <TableHead className="hidden min-w-64 md:table-cell">Top drivers</TableHead>
          <TableHead className="hidden text-right sm:table-cell" aria-sort={ariaSort("monthlyValue")}>
            <SortButton
              label="Monthly value"
              sortKey="monthlyValue"
              sort={sort}
              direction={direction}
              onSort={onSort}
            />
          </TableHead>
          <TableHead className="pr-4 text-right" aria-sort={ariaSort("revenueAtRisk")}>
            <span className="inline-flex items-center gap-1">
              <SortButton
                label="Revenue at risk"
                sortKey="revenueAtRisk"
                sort={sort}
                direction={direction}
                onSort={onSort}
              />
              <Tooltip>
                <TooltipTrigger asChild>
                  <button
                    type="button"
                    className="rounded text-muted-foreground hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                    aria-label="How revenue at risk is computed"
                  >
                    <Info className="size-3.5" aria-hidden="true" />
                  </button>
                </TooltipTrigger>
                <TooltipContent className="max-w-64">
                  Monthly value × risk score: the monthly revenue expected to be lost if the model is right on
                  average.
                </TooltipContent>
              </Tooltip>
            </span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow
            key={row.id}
            tabIndex={0}
            data-testid="customer-row"
            aria-label={`Customer ${row.externalId}${row.isLost ? " (lost)" : ""}, ${formatRisk(row.riskScore)} risk: open details`}
            onClick={() => open(row.id)}
            onKeyDown={(e) => onKeyDown(e, row.id)}
            className="cursor-pointer focus-visible:bg-muted/60 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset"
          >
            <TableCell className="pl-4 font-medium">
              <Link
                href={`/customers/${row.id}`}
                tabIndex={-1}
                className="text-primary underline-offset-4 hover:underline"
                onClick={(e) => e.stopPropagation()}
              >
                {row.externalId}
              </Link>
              {row.isLost && <LostBadge className="ml-2" />}
            </TableCell>
            <TableCell className="text-right tabular-nums">{formatRisk(row.riskScore)}</TableCell>
            <TableCell>
              <RiskLevelBadge level={row.riskLevel} />
            </TableCell>
            <TableCell className="hidden max-w-80 md:table-cell">
              <DriverList drivers={row.drivers} />
            </TableCell>
            <TableCell className="hidden text-right tabular-nums sm:table-cell">
              {formatMoney(row.monthlyValue)}
            </TableCell>
            <TableCell className="pr-4 text-right font-medium tabular-nums">
              {formatMoney(row.revenueAtRisk)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
