import type { RiskLevel } from "@/server/services/scoring/risk";

const LEVELS: { level: RiskLevel; label: string; className: string }[] = [
  { level: "high", label: "High", className: "bg-red-500 dark:bg-red-400" },
  { level: "medium", label: "Medium", className: "bg-amber-400 dark:bg-amber-300" },
  { level: "low", label: "Low", className: "bg-emerald-500 dark:bg-emerald-400" },
];

/** One stacked bar plus a legend with counts: readable without colour (labels and numbers). */
export function RiskDistribution({ levels }: { levels: Record<RiskLevel, number> }) {
  const total = levels.low + levels.medium + levels.high;
  return (
    <div className="space-y-3">
      <div className="flex h-3 overflow-hidden rounded-full bg-muted" aria-hidden="true">
        {LEVELS.map(({ level, className }) =>
          levels[level] > 0 ? (
            <div key={level} className={className} style={{ width: `${(levels[level] / total) * 100}%` }} />
          ) : null,
        )}
      </div>
      <dl className="grid grid-cols-3 gap-2 text-sm">
        {LEVELS.map(({ level, label, className }) => (
          <div key={level}>
            <dt className="flex items-center gap-1.5 text-muted-foreground">
              <span className={`inline-block size-2.5 rounded-full ${className}`} aria-hidden="true" />
              {label} risk
            </dt>
            <dd className="font-semibold tabular-nums">
              {levels[level].toLocaleString("en-US")}{" "}
              <span className="font-normal text-muted-foreground">
                ({total ? Math.round((levels[level] / total) * 100) : 0} %)
              </span>
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
