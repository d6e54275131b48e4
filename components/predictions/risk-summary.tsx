import { Loader2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { formatRisk } from "@/lib/retention";
import { cn } from "@/lib/utils";
import { GaugeDial } from "./risk-gauge";
import { RISK_LEVEL_BADGES, RISK_LEVEL_LABELS, type RiskLevelName } from "./risk-level";

/**
 * The score in one line: a small dial, the percentage and the level. On a phone the Predict form
 * is 19 inputs long and the full gauge comes after it, so this bar sits at the top of the form and
 * stays in view (sticky) while its inputs change. Wide screens show the full gauge beside the form.
 */
export function RiskSummary({
  prediction,
  bands,
  isUpdating,
  className,
}: {
  prediction: { riskScore: number; riskLevel: RiskLevelName } | undefined;
  bands: { medium: number; high: number };
  isUpdating: boolean;
  className?: string;
}) {
  return (
    <section
      aria-label="Churn risk summary"
      data-testid="risk-summary"
      className={cn(
        "flex items-center gap-3 rounded-xl border bg-card/95 px-4 py-2 shadow-sm backdrop-blur supports-[backdrop-filter]:bg-card/80",
        className,
      )}
    >
      {prediction ? (
        <>
          <GaugeDial
            riskScore={prediction.riskScore}
            riskLevel={prediction.riskLevel}
            bands={bands}
            className="w-14 shrink-0"
          />
          <div className="flex min-w-0 flex-1 flex-wrap items-center gap-x-3 gap-y-1">
            <span className="text-muted-foreground text-sm">Churn risk</span>
            <span
              className="font-semibold text-2xl tabular-nums tracking-tight"
              data-testid="risk-summary-score"
            >
              {formatRisk(prediction.riskScore)}
            </span>
            <Badge variant={RISK_LEVEL_BADGES[prediction.riskLevel]}>
              {RISK_LEVEL_LABELS[prediction.riskLevel]}
            </Badge>
          </div>
        </>
      ) : (
        <Skeleton className="h-10 w-full" />
      )}
      <Loader2
        className={cn(
          "size-4 shrink-0 animate-spin text-muted-foreground transition-opacity motion-reduce:animate-none",
          isUpdating ? "opacity-100" : "opacity-0",
        )}
        aria-hidden="true"
      />
    </section>
  );
}
