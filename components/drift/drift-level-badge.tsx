import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

export type DriftLevelName = "stable" | "moderate" | "significant";

const LABELS: Record<DriftLevelName, string> = {
  stable: "Stable",
  moderate: "Moderate drift",
  significant: "Significant drift",
};

const STYLES: Record<DriftLevelName, string> = {
  stable: "border-emerald-500/30 bg-emerald-500/10 text-emerald-700 dark:text-emerald-400",
  moderate: "border-amber-500/30 bg-amber-500/10 text-amber-700 dark:text-amber-400",
  significant: "border-red-500/30 bg-red-500/10 text-red-700 dark:text-red-400",
};

/** A drift level in words, coloured (the words carry the meaning; colour only repeats it). */
export function DriftLevelBadge({ level, className }: { level: DriftLevelName; className?: string }) {
  return (
    <Badge variant="outline" className={cn(STYLES[level], className)}>
      {LABELS[level]}
    </Badge>
  );
}

/** PSI with two decimals ("0.08"); a dash when there was nothing to compare. */
export function formatPsi(psi: number | null | undefined): string {
  return psi === null || psi === undefined ? "–" : psi.toFixed(2);
}
