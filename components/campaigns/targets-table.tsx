import Link from "next/link";
import { RiskLevelBadge } from "@/components/customers/risk-level-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatMoney } from "@/lib/format/money";

export interface TargetRow {
  rank: number;
  customerId: number;
  externalId: string;
  riskScore: number;
  riskLevel: string;
  customerValue: number;
  expectedSavedValue: number;
  reason: string;
  action: string | null;
}

/** The customers a plan contacts, in order: who, how risky, what they are worth, why and what to offer. */
export function TargetsTable({
  targets,
  currency,
  label,
}: {
  targets: TargetRow[];
  currency: string;
  label: string;
}) {
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead className="w-12 text-right">#</TableHead>
          <TableHead>Customer</TableHead>
          <TableHead className="text-right">Risk</TableHead>
          <TableHead className="text-right">Value</TableHead>
          <TableHead className="text-right">Expected saved</TableHead>
          <TableHead>Why</TableHead>
          <TableHead>Recommended action</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {targets.map((t) => (
          <TableRow key={t.rank}>
            <TableCell className="text-right text-muted-foreground tabular-nums">{t.rank}</TableCell>
            <TableCell>
              <Link
                href={`/customers/${t.customerId}`}
                className="font-medium text-primary underline-offset-4 hover:underline"
              >
                {t.externalId}
              </Link>
            </TableCell>
            <TableCell className="text-right tabular-nums">
              <span className="inline-flex items-center gap-2">
                {(t.riskScore * 100).toFixed(0)} %
                <RiskLevelBadge level={t.riskLevel} />
              </span>
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {formatMoney(t.customerValue, currency)}
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {formatMoney(t.expectedSavedValue, currency)}
            </TableCell>
            <TableCell className="min-w-56 max-w-80 whitespace-normal text-xs">{t.reason}</TableCell>
            <TableCell className="min-w-48 max-w-72 whitespace-normal text-xs">{t.action ?? "—"}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
