import { Database } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/layout/empty-state";
import { Button } from "@/components/ui/button";

export default function DatasetNotFound() {
  return (
    <EmptyState
      icon={Database}
      title="Dataset not found"
      action={
        <Button asChild>
          <Link href="/datasets">Back to datasets</Link>
        </Button>
      }
    >
      No dataset (or dataset version) has this id. It may have been deleted, or the link was mistyped.
    </EmptyState>
  );
}
