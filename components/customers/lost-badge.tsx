import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

/**
 * Marks a customer whose churn column says they already left: the model still scored them, but
 * they are not "at risk" and count in no risk figure.
 */
export function LostBadge({ className }: { className?: string }) {
  return (
    <Badge
      variant="secondary"
      className={cn("border-border text-muted-foreground", className)}
      data-testid="lost-badge"
      title="This customer already left (the data says churned): not counted as at risk"
    >
      Lost
    </Badge>
  );
}
