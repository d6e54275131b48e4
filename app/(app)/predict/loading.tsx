import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <PageHeader
        title="Predict"
        description="Try a what-if: change a customer's details and see the churn risk, the reasons behind it and the next best action."
      />
      <div
        className="grid gap-6 xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]"
        role="status"
        aria-label="Loading"
      >
        <Card>
          <CardContent className="grid gap-4 sm:grid-cols-2">
            {Array.from({ length: 12 }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton fields
              <Skeleton key={i} className="h-14 w-full" />
            ))}
          </CardContent>
        </Card>
        <div className="space-y-6">
          <Skeleton className="h-64 w-full rounded-xl" />
          <Skeleton className="h-80 w-full rounded-xl" />
        </div>
      </div>
    </>
  );
}
