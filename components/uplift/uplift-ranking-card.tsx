"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { TrendingUp } from "lucide-react";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatMoney } from "@/lib/format/money";

export type UpliftValueChoice = { source: "monthly"; months: number } | { source: "flat"; amount: number };

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const pts = (v: number) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)} pts`;

/**
 * The planner's alternative ranking: active customers by expected uplift × value, from the
 * dataset's uplift model — or, without one, what has to be recorded first.
 */
export function UpliftRankingCard({
  datasetId,
  value,
  valueNote,
}: {
  datasetId: number;
  value: UpliftValueChoice;
  /** Shown when the planner's own value choice could not be used (e.g. expected lifetime). */
  valueNote?: string;
}) {
  const trpc = useTRPC();
  const ranking = useQuery({
    ...trpc.uplift.ranking.queryOptions({ datasetId, value, limit: 20 }),
    placeholderData: keepPreviousData,
  });
  const data = ranking.data;
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <TrendingUp className="size-4" aria-hidden="true" /> Ranked by expected uplift × value
        </CardTitle>
        <CardDescription>
          The customers contact is predicted to change the most, weighted by what they are worth: a high-risk
          customer who leaves anyway, or stays anyway, is not worth an offer.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-3">
        {ranking.isPending ? (
          <div className="space-y-2" role="status" aria-busy="true" aria-label="Loading the uplift ranking">
            <Skeleton className="h-4 w-1/2" />
            <Skeleton className="h-32 w-full" />
          </div>
        ) : ranking.isError ? (
          <Alert variant="destructive">
            <AlertDescription>{ranking.error.message}</AlertDescription>
          </Alert>
        ) : data && !data.available ? (
          <p
            className="rounded-lg border border-dashed p-4 text-muted-foreground text-sm"
            data-testid="uplift-missing"
          >
            No uplift model yet. {data.message}
          </p>
        ) : data?.available ? (
          <>
            <p className="text-sm">
              Of {data.eligible.toLocaleString("en-US")} active customers, the action is predicted to help{" "}
              {data.helped.toLocaleString("en-US")}. Contacting the {data.contacted.toLocaleString("en-US")}{" "}
              with a positive expected gain keeps an estimated {data.expectedKept.toFixed(1)} customers, worth{" "}
              {formatMoney(data.expectedSavedValue, data.currency)}.
            </p>
            <p className="text-muted-foreground text-xs">Value: {valueNote ?? data.valueNote}</p>
            {data.targets.length === 0 ? (
              <p className="text-muted-foreground text-sm">No active customers to rank.</p>
            ) : (
              <Table aria-label="Customers ranked by expected uplift × value">
                <TableHeader>
                  <TableRow>
                    <TableHead className="w-12 text-right">#</TableHead>
                    <TableHead>Customer</TableHead>
                    <TableHead className="text-right">Risk without contact</TableHead>
                    <TableHead className="text-right">Risk with contact</TableHead>
                    <TableHead className="text-right">Uplift</TableHead>
                    <TableHead className="text-right">Value</TableHead>
                    <TableHead className="text-right">Expected saved</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {data.targets.map((t) => (
                    <TableRow key={t.customerId}>
                      <TableCell className="text-right text-muted-foreground tabular-nums">
                        {t.rank}
                      </TableCell>
                      <TableCell>
                        <Link
                          href={`/customers/${t.customerId}`}
                          className="font-medium text-primary underline-offset-4 hover:underline"
                        >
                          {t.externalId}
                        </Link>
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{pct(t.riskWithout)}</TableCell>
                      <TableCell className="text-right tabular-nums">{pct(t.riskWith)}</TableCell>
                      <TableCell className="text-right tabular-nums">{pts(t.uplift)}</TableCell>
                      <TableCell className="text-right tabular-nums">
                        {formatMoney(t.value, data.currency)}
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {formatMoney(t.expectedSavedValue, data.currency)}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}
