import { UserX } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/layout/empty-state";
import { Button } from "@/components/ui/button";

export default function CustomerNotFound() {
  return (
    <EmptyState
      icon={UserX}
      title="Customer not found"
      action={
        <Button asChild>
          <Link href="/customers">Back to customers</Link>
        </Button>
      }
    >
      No customer has this id. The dataset it belonged to may have been deleted, or a new upload replaced it.
    </EmptyState>
  );
}
