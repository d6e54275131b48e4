import { Check, Circle, CircleSlash, Loader2, X } from "lucide-react";
import { formatSeconds } from "@/components/models/format";
import { cn } from "@/lib/utils";

export type StepState = "pending" | "running" | "done" | "failed" | "cancelled" | "skipped";

export interface RunStep {
  id: string;
  label: string;
  state: StepState;
  durationMs: number | null;
  /** Latest summary line published for the step (live only). */
  summary?: string;
}

const ICONS: Record<StepState, { icon: typeof Check; className: string; text: string }> = {
  done: { icon: Check, className: "text-success", text: "done" },
  running: { icon: Loader2, className: "animate-spin text-primary", text: "running" },
  pending: { icon: Circle, className: "text-muted-foreground/60", text: "waiting" },
  failed: { icon: X, className: "text-destructive", text: "failed" },
  cancelled: { icon: CircleSlash, className: "text-muted-foreground", text: "cancelled" },
  skipped: { icon: CircleSlash, className: "text-muted-foreground/60", text: "not run" },
};

/** The pipeline's steps with their state, duration and latest summary. */
export function RunSteps({ steps }: { steps: RunStep[] }) {
  return (
    <ol className="gap-x-8 sm:columns-2" aria-label="Training steps">
      {steps.map((step) => {
        const { icon: Icon, className, text } = ICONS[step.state];
        return (
          <li
            key={step.id}
            className={cn(
              "flex items-start gap-2 text-sm",
              step.state === "pending" && "text-muted-foreground",
            )}
            aria-current={step.state === "running" ? "step" : undefined}
            data-testid={`run-step-${step.id}`}
            data-state={step.state}
          >
            <Icon className={cn("mt-0.5 size-4 shrink-0", className)} aria-hidden="true" />
            <div className="min-w-0 flex-1">
              <div className="flex items-baseline justify-between gap-2">
                <span className={cn(step.state === "running" && "font-medium")}>
                  {step.label}
                  <span className="sr-only"> ({text})</span>
                </span>
                {step.durationMs !== null && (
                  <span className="shrink-0 text-muted-foreground text-xs tabular-nums">
                    {formatSeconds(step.durationMs / 1000)}
                  </span>
                )}
              </div>
              {step.summary && (
                <p className="truncate text-muted-foreground text-xs" title={step.summary}>
                  {step.summary}
                </p>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
