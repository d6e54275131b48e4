import { formatPercent } from "@/components/models/format";
import { cn } from "@/lib/utils";

const LEVELS = [
  { key: "high", label: "High risk", bar: "bg-destructive", dot: "bg-destructive" },
  { key: "medium", label: "Medium risk", bar: "bg-amber-500", dot: "bg-amber-500" },
  { key: "low", label: "Low risk", bar: "bg-emerald-500", dot: "bg-emerald-500" },
] as const;

export interface LevelCounts {
  low: number;
  medium: number;
  high: number;
}

/** Customers per risk level: one stacked bar and the counts in words (the colours only repeat them). */
export function LevelSummary({
  levels,
  meanRiskScore,
  rowsWithWarnings,
  className,
}: {
  levels: LevelCounts;
  meanRiskScore?: number;
  rowsWithWarnings?: number;
  className?: string;
}) {
  const total = levels.low + levels.medium + levels.high;
  return (
    <div className={cn("space-y-3", className)} data-testid="level-summary">
      <div className="flex h-3 w-full overflow-hidden rounded-full bg-muted" aria-hidden="true">
        {LEVELS.map((l) =>
          levels[l.key] > 0 ? (
            <div
              key={l.key}
              className={cn("h-full transition-[width] duration-300", l.bar)}
              style={{ width: `${(levels[l.key] / Math.max(total, 1)) * 100}%` }}
            />
          ) : null,
        )}
      </div>
      <dl className="grid gap-3 sm:grid-cols-3">
        {LEVELS.map((l) => (
          <div key={l.key} className="rounded-lg border p-3">
            <dt className="flex items-center gap-2 text-muted-foreground text-sm">
              <span className={cn("size-2.5 rounded-full", l.dot)} aria-hidden="true" />
              {l.label}
            </dt>
            <dd className="mt-1 font-semibold text-2xl tabular-nums">
              {levels[l.key].toLocaleString("en")}
              <span className="ml-2 font-normal text-muted-foreground text-sm">
                {formatPercent(total ? levels[l.key] / total : 0)}
              </span>
            </dd>
          </div>
        ))}
      </dl>
      {(meanRiskScore !== undefined || rowsWithWarnings !== undefined) && (
        <p className="text-muted-foreground text-sm">
          {meanRiskScore !== undefined && <>Mean risk {formatPercent(meanRiskScore)}. </>}
          {rowsWithWarnings !== undefined &&
            (rowsWithWarnings === 0
              ? "Every row was read as it is."
              : `${rowsWithWarnings.toLocaleString("en")} row${rowsWithWarnings === 1 ? " has" : "s have"} a blank, unreadable or unknown value the model imputed (see the warnings column).`)}
        </p>
      )}
    </div>
  );
}
