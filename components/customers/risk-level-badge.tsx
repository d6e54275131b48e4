import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

const LEVELS: Record<string, { label: string; variant: "destructive" | "warning" | "success" }> = {
  high: { label: "High", variant: "destructive" },
  medium: { label: "Medium", variant: "warning" },
  low: { label: "Low", variant: "success" },
};

/** Risk level in words (colour only repeats it). */
export function RiskLevelBadge({ level, className }: { level: string; className?: string }) {
  const entry = LEVELS[level] ?? { label: level, variant: "outline" as never };
  return (
    <Badge variant={entry.variant} className={cn("min-w-16", className)} data-testid="risk-level">
      {entry.label}
    </Badge>
  );
}
