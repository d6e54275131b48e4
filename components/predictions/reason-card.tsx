import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/utils";
import type { CustomerReason } from "@/server/services/retention";
import { SignedPoints } from "./points";

function ReasonList({ reasons, empty }: { reasons: CustomerReason[]; empty: string }) {
  if (reasons.length === 0) return <p className="text-muted-foreground text-sm">{empty}</p>;
  return (
    <ul className="space-y-2">
      {reasons.map((r) => (
        <li key={r.column} className="flex items-start gap-3 text-sm" data-testid="reason">
          <span className="min-w-0 flex-1">{r.text}</span>
          <SignedPoints points={r.points} className="pt-0.5" />
        </li>
      ))}
    </ul>
  );
}

/**
 * Why the model gives this risk: the top drivers in plain words, split into what the business can
 * act on (contract, payment, services, price) and context (tenure, age, household).
 */
export function ReasonCard({
  reasons,
  limit = 5,
  className,
  children,
}: {
  reasons: CustomerReason[];
  /** Reasons shown per group. */
  limit?: number;
  className?: string;
  /** Extra content under the lists (the waterfall chart on the Predict page). */
  children?: React.ReactNode;
}) {
  const actionable = reasons.filter((r) => r.kind === "actionable").slice(0, limit);
  const context = reasons.filter((r) => r.kind === "context").slice(0, limit);
  return (
    <Card className={cn(className)} data-testid="reason-card">
      <CardHeader>
        <CardTitle>Why this risk</CardTitle>
        <CardDescription>
          Each driver moves the churn probability up or down, in percentage points, from the model&apos;s base
          rate.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-6">
        <div className="grid gap-6 md:grid-cols-2">
          <section aria-labelledby="reasons-actionable">
            <h3 id="reasons-actionable" className="mb-2 font-medium text-sm">
              Drivers you can act on
            </h3>
            <ReasonList
              reasons={actionable}
              empty="None of the top drivers is something the business can change."
            />
          </section>
          <section aria-labelledby="reasons-context">
            <h3 id="reasons-context" className="mb-2 font-medium text-sm">
              Context
            </h3>
            <ReasonList reasons={context} empty="No context column is among the top drivers." />
          </section>
        </div>
        {children}
      </CardContent>
    </Card>
  );
}
