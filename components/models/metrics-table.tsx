import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import { formatScore } from "./format";

export interface MetricRow {
  label: string;
  hint?: string;
  /** One value per column; null = not measured there. */
  values: (number | null)[];
  digits?: number;
  /** Which value is better, to highlight it when comparing ("higher" / "lower"). */
  better?: "higher" | "lower";
}

/** Metrics side by side: cross-validated vs held-out, or model A vs model B. */
export function MetricsTable({
  columns,
  rows,
  highlightBest = false,
}: {
  columns: string[];
  rows: MetricRow[];
  highlightBest?: boolean;
}) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Metric</TableHead>
          {columns.map((c) => (
            <TableHead key={c} className="text-right">
              {c}
            </TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => {
          const present = row.values.filter((v): v is number => v !== null && !Number.isNaN(v));
          const best =
            highlightBest && row.better && present.length > 1
              ? row.better === "higher"
                ? Math.max(...present)
                : Math.min(...present)
              : null;
          return (
            <TableRow key={row.label}>
              <TableCell title={row.hint}>
                {row.label}
                {row.hint && <span className="block text-muted-foreground text-xs">{row.hint}</span>}
              </TableCell>
              {row.values.map((value, i) => (
                <TableCell
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                  key={i}
                  className={cn(
                    "text-right tabular-nums",
                    best !== null && value === best && "font-semibold text-success",
                  )}
                >
                  {formatScore(value, row.digits ?? 3)}
                  {best !== null && value === best && <span className="sr-only"> (better)</span>}
                </TableCell>
              ))}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
