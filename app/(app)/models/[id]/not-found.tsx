import { BrainCircuit } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/layout/empty-state";
import { Button } from "@/components/ui/button";

export default function ModelNotFound() {
  return (
    <EmptyState
      icon={BrainCircuit}
      title="Model not found"
      action={
        <Button asChild>
          <Link href="/models">Back to the leaderboard</Link>
        </Button>
      }
    >
      No model has this id. Its dataset may have been deleted, or the link was mistyped.
    </EmptyState>
  );
}
