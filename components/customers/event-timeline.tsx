import { ArrowDownRight, ArrowRight, ArrowUpRight, Radio } from "lucide-react";
import { DateTime } from "@/components/format/date-time";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import { formatFieldValue, formatRisk } from "./format";
import { RiskLevelBadge } from "./risk-level-badge";

export interface EventTimelineItem {
  id: number;
  type: string;
  occurredAt: Date | string;
  source: string;
  changes: { column: string; from: string | number | null; to: string | number | null }[];
  riskBefore: number | null;
  riskAfter: number | null;
  levelBefore: string | null;
  levelAfter: string | null;
  modelVersion: number | null;
}

/** "plan_change" → "Plan change": event types are the sender's words, shown as a label. */
export function eventTypeLabel(type: string): string {
  const words = type.replace(/[_.:-]+/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : type;
}

/** Risk movement in probability points, with the direction (up is bad). */
function RiskMove({ before, after }: { before: number | null; after: number | null }) {
  if (after === null) return <span className="text-muted-foreground">—</span>;
  if (before === null) return <span className="tabular-nums">{formatRisk(after)}</span>;
  const delta = (after - before) * 100;
  const Icon = Math.abs(delta) < 0.05 ? ArrowRight : delta > 0 ? ArrowUpRight : ArrowDownRight;
  return (
    <span className="inline-flex items-center gap-1.5 tabular-nums">
      {formatRisk(before)}
      <ArrowRight className="size-3.5 text-muted-foreground" aria-label="to" />
      <span className="font-medium">{formatRisk(after)}</span>
      <span
        className={cn(
          "inline-flex items-center text-xs",
          delta > 0.05
            ? "text-red-600 dark:text-red-400"
            : delta < -0.05
              ? "text-emerald-600 dark:text-emerald-400"
              : "text-muted-foreground",
        )}
      >
        <Icon className="size-3.5" aria-hidden="true" />
        {delta > 0 ? "+" : ""}
        {delta.toFixed(1)} pts
      </span>
    </span>
  );
}

/**
 * A customer's events, newest first: what changed (from → to) and the champion's risk before and
 * after each one. Server-rendered; the page refreshes it when a new event arrives.
 */
export function EventTimeline({ events, total }: { events: EventTimelineItem[]; total: number }) {
  if (events.length === 0) {
    return (
      <p className="text-muted-foreground text-sm" data-testid="event-timeline-empty">
        No events yet. Events sent to <code className="font-mono">POST /api/v1/events</code> (or by the demo
        generator) appear here with the risk before and after each.
      </p>
    );
  }
  return (
    <div>
      <ol className="relative space-y-4 border-border border-l pl-5" data-testid="event-timeline">
        {events.map((event) => (
          <li key={event.id} className="relative" data-testid="event-timeline-item" data-event-id={event.id}>
            <span
              className="-left-[1.72rem] absolute top-1 size-3 rounded-full border-2 border-background bg-primary"
              aria-hidden="true"
            />
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <span className="font-medium">{eventTypeLabel(event.type)}</span>
              <span className="text-muted-foreground text-xs">
                <DateTime value={event.occurredAt} style="monthDayTime" />
              </span>
              {event.source === "demo" && (
                <Badge variant="outline" className="gap-1 text-xs">
                  <Radio className="size-3" aria-hidden="true" /> Demo
                </Badge>
              )}
            </div>
            <ul className="mt-1 space-y-0.5 text-sm">
              {event.changes.map((change) => (
                <li key={change.column} className="break-words">
                  <span className="text-muted-foreground">{change.column}:</span>{" "}
                  <span className="line-through decoration-muted-foreground/60">
                    {formatFieldValue(change.from)}
                  </span>{" "}
                  → <span className="font-medium">{formatFieldValue(change.to)}</span>
                </li>
              ))}
            </ul>
            <div className="mt-1 flex flex-wrap items-center gap-2 text-sm" data-testid="event-risk">
              <span className="text-muted-foreground">Risk</span>
              <RiskMove before={event.riskBefore} after={event.riskAfter} />
              {event.levelAfter && <RiskLevelBadge level={event.levelAfter} />}
              {event.modelVersion !== null && (
                <span className="text-muted-foreground text-xs">model v{event.modelVersion}</span>
              )}
            </div>
          </li>
        ))}
      </ol>
      {total > events.length && (
        <p className="mt-4 text-muted-foreground text-xs">
          The latest {events.length.toLocaleString("en-US")} of {total.toLocaleString("en-US")} events.
        </p>
      )}
    </div>
  );
}
