import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/**
 * Shown while the page loads. An in-page Suspense boundary, not a route loading.tsx: a loading.tsx
 * here would also wrap the [id] pages below, start their response as 200 before they know the
 * record exists, and so turn every "not found" into a 200.
 */
export function LeaderboardSkeleton() {
  return (
    <>
      <PageHeader title="Models" description="Every trained model, ranked by cross-validated ROC AUC." />
      <Card>
        <CardContent className="space-y-3" role="status" aria-busy="true" aria-label="Loading models">
          <div className="flex gap-2">
            <Skeleton className="h-9 w-48" />
            <Skeleton className="h-9 w-48" />
          </div>
          {Array.from({ length: 6 }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton rows
            <Skeleton key={i} className="h-8 w-full" />
          ))}
        </CardContent>
      </Card>
    </>
  );
}
