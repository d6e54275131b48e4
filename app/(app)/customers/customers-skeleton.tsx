import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/**
 * Shown while the page loads. An in-page Suspense boundary, not a route loading.tsx: a loading.tsx
 * here would also wrap the [id] pages below, start their response as 200 before they know the
 * record exists, and so turn every "not found" into a 200.
 */
export function CustomersSkeleton() {
  return (
    <>
      <PageHeader title="Customers" description="Every customer the champion model scored." />
      <div className="space-y-4" role="status" aria-busy="true" aria-label="Loading customers">
        <Skeleton className="h-9 w-64" />
        <div className="grid gap-3 sm:grid-cols-3">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-24" />
          ))}
        </div>
        <Card>
          <CardContent className="space-y-3">
            <div className="flex gap-2">
              <Skeleton className="h-9 w-64" />
              <Skeleton className="h-9 w-48" />
            </div>
            {Array.from({ length: 8 }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton rows
              <Skeleton key={i} className="h-10 w-full" />
            ))}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
