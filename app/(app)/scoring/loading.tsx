import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <PageHeader title="Score a file" description="Score a CSV of customers with the champion model." />
      <div className="space-y-6" role="status" aria-busy="true" aria-label="Loading scoring">
        <Card>
          <CardContent className="space-y-4">
            <Skeleton className="h-9 w-96 max-w-full" />
            <Skeleton className="h-52 w-full" />
          </CardContent>
        </Card>
        <Card>
          <CardContent className="space-y-3">
            {Array.from({ length: 4 }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton rows
              <Skeleton key={i} className="h-10 w-full" />
            ))}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
