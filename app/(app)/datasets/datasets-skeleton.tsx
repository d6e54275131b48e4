import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/**
 * Shown while the page loads. An in-page Suspense boundary, not a route loading.tsx: a loading.tsx
 * here would also wrap the [id] pages below, start their response as 200 before they know the
 * record exists, and so turn every "not found" into a 200.
 */
export function DatasetsSkeleton() {
  return (
    <>
      <PageHeader
        title="Datasets"
        description="Customer tables you have imported, with their versions and profiles."
      />
      <Card>
        <CardContent className="space-y-3" role="status" aria-busy="true" aria-label="Loading datasets">
          {Array.from({ length: 4 }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton rows
            <Skeleton key={i} className="h-8 w-full" />
          ))}
        </CardContent>
      </Card>
    </>
  );
}
