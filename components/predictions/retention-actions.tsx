import { ListChecks } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatValue } from "@/lib/retention";
import { cn } from "@/lib/utils";
import type { RetentionAction } from "@/server/services/retention";
import { SignedPoints } from "./points";

/** The retention playbook's actions for the drivers that raise this customer's risk. */
export function RetentionActions({
  actions,
  limit = 5,
  className,
}: {
  actions: RetentionAction[];
  limit?: number;
  className?: string;
}) {
  const shown = actions.slice(0, limit);
  return (
    <Card className={cn(className)} data-testid="retention-actions">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <ListChecks className="size-4 text-primary" aria-hidden="true" />
          Retention playbook
        </CardTitle>
        <CardDescription>
          Actions for the drivers that raise this customer&apos;s risk, largest first.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {shown.length === 0 ? (
          <p className="text-muted-foreground text-sm">
            Nothing raises this customer&apos;s risk: no action needed.
          </p>
        ) : (
          <ol className="space-y-4">
            {shown.map((a) => (
              <li key={`${a.ruleId}-${a.column}`} className="space-y-1">
                <p className="font-medium text-sm">{a.title}</p>
                <p className="text-muted-foreground text-sm">{a.rationale}</p>
                <p className="flex flex-wrap items-center gap-2 text-xs">
                  <Badge variant="outline" className="font-normal">
                    {a.column} = {formatValue(a.value)}
                  </Badge>
                  <SignedPoints points={a.points} />
                  <span className="text-muted-foreground">cost {a.cost}</span>
                </p>
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}
