import { ArrowRight, Sparkles } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatPoints, formatRisk, formatValue } from "@/lib/retention";
import { cn } from "@/lib/utils";
import type { NextBestAction, NextBestActionOption } from "@/server/services/retention";

function Changes({ option }: { option: NextBestActionOption }) {
  return (
    <ul className="space-y-1 text-sm">
      {option.changes.map((c) => (
        <li key={c.column} className="flex flex-wrap items-center gap-1.5">
          <span className="text-muted-foreground">{c.column}:</span>
          <span>{formatValue(c.from)}</span>
          <ArrowRight className="size-3.5 text-muted-foreground" aria-label="to" />
          <span className="font-medium">{formatValue(c.to)}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The cheapest change to actionable inputs that lowers the predicted risk most (see
 * lib/retention/next-best-action.ts), with the new risk and a few alternatives.
 */
export function NextBestActionCard({
  nextBestAction,
  className,
}: {
  nextBestAction: NextBestAction | null;
  className?: string;
}) {
  return (
    <Card className={cn(className)} data-testid="next-best-action">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Sparkles className="size-4 text-primary" aria-hidden="true" />
          Next best action
        </CardTitle>
        <CardDescription>Model prediction, not a guarantee.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {nextBestAction === null ? (
          <p className="text-muted-foreground text-sm">
            No change to the fields the business can act on lowers this customer&apos;s predicted risk.
          </p>
        ) : (
          <>
            <div className="space-y-2">
              <p className="font-medium">{nextBestAction.title}</p>
              <Changes option={nextBestAction} />
              <p className="flex flex-wrap items-baseline gap-x-2 text-sm">
                <span className="tabular-nums">
                  Risk {formatRisk(nextBestAction.currentRisk)} → {formatRisk(nextBestAction.newRisk)}
                </span>
                <span className="font-medium text-success tabular-nums">
                  −{formatPoints(nextBestAction.reduction)}
                </span>
                <Badge variant="outline" className="font-normal">
                  cost {nextBestAction.cost}
                </Badge>
              </p>
            </div>
            {nextBestAction.alternatives.length > 0 && (
              <div>
                <h3 className="mb-2 font-medium text-muted-foreground text-xs uppercase tracking-wide">
                  Alternatives
                </h3>
                <ul className="divide-y rounded-md border">
                  {nextBestAction.alternatives.map((alt) => (
                    <li
                      key={alt.changes.map((c) => `${c.column}=${String(c.to)}`).join("&")}
                      className="space-y-0.5 px-3 py-2 text-sm"
                    >
                      <p>{alt.title}</p>
                      <p className="flex flex-wrap gap-x-3 text-xs">
                        <span className="text-muted-foreground tabular-nums">
                          Risk → {formatRisk(alt.newRisk)}
                        </span>
                        <span className="text-success tabular-nums">−{formatPoints(alt.reduction)}</span>
                        <span className="text-muted-foreground">cost {alt.cost}</span>
                      </p>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}
