import { Badge } from "@/components/ui/badge";

const STATUS: Record<
  string,
  { label: string; variant: "default" | "secondary" | "success" | "destructive" | "outline" | "warning" }
> = {
  queued: { label: "Queued", variant: "secondary" },
  running: { label: "Running", variant: "default" },
  succeeded: { label: "Succeeded", variant: "success" },
  failed: { label: "Failed", variant: "destructive" },
  cancelled: { label: "Cancelled", variant: "outline" },
};

export function RunStatusBadge({ status }: { status: string }) {
  const { label, variant } = STATUS[status] ?? { label: status, variant: "outline" as const };
  return <Badge variant={variant}>{label}</Badge>;
}
