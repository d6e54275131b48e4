import { Skeleton } from "@/components/ui/skeleton";
import { DashboardSkeleton } from "./dashboard-skeleton";

/**
 * Shown at once when the dashboard is opened from another page (the sidebar prefetches it), until
 * the greeting and the dataset picker arrive. The dashboard has no pages below it, so this cannot
 * turn a child's "not found" into a 200 (why Customers and Models use in-page Suspense instead).
 */
export default function Loading() {
  return (
    <>
      <div className="mb-6 space-y-2">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <DashboardSkeleton />
    </>
  );
}
