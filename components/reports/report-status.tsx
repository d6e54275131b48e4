import { Badge } from "@/components/ui/badge";
import { Progress } from "@/components/ui/progress";

const STATUS: Record<
  string,
  { label: string; variant: "secondary" | "default" | "success" | "destructive" | "outline" }
> = {
  queued: { label: "Waiting", variant: "secondary" },
  running: { label: "Generating", variant: "default" },
  succeeded: { label: "Ready", variant: "success" },
  failed: { label: "Failed", variant: "destructive" },
  cancelled: { label: "Cancelled", variant: "outline" },
};

/** A report's state in words, with its progress while it is being made. */
export function ReportStatus({ status, progress }: { status: string; progress: number }) {
  const { label, variant } = STATUS[status] ?? { label: status, variant: "outline" as const };
  const isActive = status === "queued" || status === "running";
  return (
    <div className="flex min-w-32 items-center gap-2">
      <Badge variant={variant}>{label}</Badge>
      {isActive && (
        <Progress value={Math.round(progress * 100)} className="h-1.5 w-20" aria-label="Report progress" />
      )}
    </div>
  );
}
