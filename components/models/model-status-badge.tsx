import { Crown } from "lucide-react";
import { Badge } from "@/components/ui/badge";

const LABELS: Record<string, string> = { champion: "Champion", candidate: "Candidate", archived: "Archived" };

export function ModelStatusBadge({ status }: { status: string }) {
  if (status === "champion") {
    return (
      <Badge variant="success">
        <Crown aria-hidden="true" />
        Champion
      </Badge>
    );
  }
  return <Badge variant={status === "archived" ? "outline" : "secondary"}>{LABELS[status] ?? status}</Badge>;
}
