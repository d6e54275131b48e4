"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { Table, TableBody, TableCell, TableHeader, TableRow } from "@/components/ui/table";
import type { SegmentRow } from "@/server/services/analytics";
import { count, customersHref, formatMoney, percent, points } from "./format";
import { SortableHead } from "./sortable-head";

type SortKey = "segment" | "active" | "lost" | "churn" | "risk" | "high" | "revenue";

const VALUE: Record<Exclude<SortKey, "segment">, (r: SegmentRow) => number> = {
  active: (r) => r.active,
  lost: (r) => r.lost,
  churn: (r) => r.observedChurnRate ?? -1,
  risk: (r) => r.meanRisk ?? -1,
  high: (r) => r.highRisk,
  revenue: (r) => r.revenueAtRisk ?? -1,
};

/** Segments as a sortable table; each categorical segment links to its customers. */
export function SegmentTable({
  rows,
  datasetId,
  currency,
}: {
  rows: SegmentRow[];
  datasetId: number;
  currency: string;
}) {
  const [sort, setSort] = useState<{ key: SortKey; direction: "asc" | "desc" }>({
    key: "revenue",
    direction: "desc",
  });
  const hasRevenue = rows.some((r) => r.revenueAtRisk !== null);
  const sorted = useMemo(() => {
    const list = [...rows];
    const sign = sort.direction === "asc" ? 1 : -1;
    const key = sort.key === "revenue" && !hasRevenue ? "risk" : sort.key;
    list.sort((a, b) =>
      key === "segment"
        ? sign * labelOf(a).localeCompare(labelOf(b))
        : sign * (VALUE[key](a) - VALUE[key](b)) || labelOf(a).localeCompare(labelOf(b)),
    );
    return list;
  }, [rows, sort, hasRevenue]);
  const onSort = (key: SortKey) =>
    setSort((s) => ({ key, direction: s.key === key && s.direction === "desc" ? "asc" : "desc" }));

  return (
    <Table aria-label="Segments">
      <TableHeader>
        <TableRow>
          <SortableHead column="segment" label="Segment and why" sort={sort} onSort={onSort} />
          <SortableHead
            column="active"
            label="Active customers"
            sort={sort}
            onSort={onSort}
            className="text-right"
          />
          <SortableHead
            column="lost"
            label="Already lost"
            sort={sort}
            onSort={onSort}
            className="text-right"
          />
          <SortableHead
            column="churn"
            label="Observed churn"
            sort={sort}
            onSort={onSort}
            className="text-right"
          />
          <SortableHead column="risk" label="Mean risk" sort={sort} onSort={onSort} className="text-right" />
          <SortableHead column="high" label="High risk" sort={sort} onSort={onSort} className="text-right" />
          {hasRevenue && (
            <SortableHead
              column="revenue"
              label="Monthly revenue at risk"
              sort={sort}
              onSort={onSort}
              className="text-right"
            />
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {sorted.map((r) => (
          <TableRow key={labelOf(r)}>
            <TableCell className="min-w-56 max-w-80 whitespace-normal align-top">
              <span className="font-medium">{labelOf(r)}</span>
              {r.topDrivers.length > 0 && (
                <ul
                  className="mt-1 space-y-0.5 text-muted-foreground text-xs"
                  aria-label={`Why ${labelOf(r)} is at risk`}
                >
                  {r.topDrivers.map((d) => (
                    <li key={d.column}>
                      <span className="text-foreground">{d.column}</span>{" "}
                      <span className="tabular-nums">
                        {points(d.segmentPoints)} here vs {points(d.overallPoints)} overall
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              {r.customerFilters && (
                <Link
                  href={customersHref(datasetId, r.customerFilters)}
                  className="mt-1 inline-block text-primary text-xs underline-offset-4 hover:underline"
                  aria-label={`View customers in ${labelOf(r)}`}
                >
                  View customers
                </Link>
              )}
            </TableCell>
            <TableCell className="text-right tabular-nums">{count(r.active)}</TableCell>
            <TableCell className="text-right text-muted-foreground tabular-nums">{count(r.lost)}</TableCell>
            <TableCell className="text-right tabular-nums">{percent(r.observedChurnRate)}</TableCell>
            <TableCell className="text-right tabular-nums">{percent(r.meanRisk)}</TableCell>
            <TableCell className="text-right tabular-nums">{count(r.highRisk)}</TableCell>
            {hasRevenue && (
              <TableCell className="text-right tabular-nums">
                {formatMoney(r.revenueAtRisk, currency)}
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function labelOf(row: Pick<SegmentRow, "key">): string {
  return row.key.map((k) => k.label).join(" · ");
}
