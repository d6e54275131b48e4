import Link from "next/link";
import { algorithmName, formatAucWithStd, formatScore, formatSeconds } from "@/components/models/format";
import { ModelStatusBadge } from "@/components/models/model-status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export interface RunModelRow {
  modelId: number;
  algorithm: string;
  version: number;
  status: string;
  cvAuc: number;
  cvAucStd: number;
  f1Churn: number;
  f1Weighted: number;
  brier: number;
  testAuc: number | null;
  fitSeconds: number;
}

/** The run's models as they finish training, best cross-validated AUC first. */
export function RunModelsTable({ rows }: { rows: RunModelRow[] }) {
  const sorted = [...rows].sort((a, b) => b.cvAuc - a.cvAuc);
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Model</TableHead>
          <TableHead className="text-right">CV AUC ± std</TableHead>
          <TableHead className="text-right">Test AUC</TableHead>
          <TableHead className="text-right">Churn-class F1</TableHead>
          <TableHead className="hidden text-right 2xl:table-cell">Weighted F1</TableHead>
          <TableHead className="hidden text-right 2xl:table-cell">Brier</TableHead>
          <TableHead className="hidden text-right 2xl:table-cell">Fit time</TableHead>
          <TableHead>Status</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {sorted.map((row) => (
          <TableRow key={row.modelId} data-testid={`run-model-${row.algorithm}`}>
            <TableCell>
              <Link
                href={`/models/${row.modelId}`}
                className="font-medium text-primary underline-offset-4 hover:underline focus-visible:underline"
              >
                {algorithmName(row.algorithm)}
              </Link>
              <span className="ml-1 text-muted-foreground text-xs">v{row.version}</span>
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {formatAucWithStd(row.cvAuc, row.cvAucStd)}
            </TableCell>
            <TableCell className="text-right tabular-nums">{formatScore(row.testAuc)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatScore(row.f1Churn)}</TableCell>
            <TableCell className="hidden text-right tabular-nums 2xl:table-cell">
              {formatScore(row.f1Weighted)}
            </TableCell>
            <TableCell className="hidden text-right tabular-nums 2xl:table-cell">
              {formatScore(row.brier, 4)}
            </TableCell>
            <TableCell className="hidden text-right tabular-nums 2xl:table-cell">
              {formatSeconds(row.fitSeconds)}
            </TableCell>
            <TableCell>
              <ModelStatusBadge status={row.status} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
