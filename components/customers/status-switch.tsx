"use client";

import { cn } from "@/lib/utils";
import { formatRisk } from "./format";

export type CustomerStatus = "active" | "lost";

/**
 * Active customers (the ones a retention team can still keep) or lost ones (the churn column says
 * they left), with how many of each match the other filters and the churn rate observed among them.
 */
export function StatusSwitch({
  value,
  active,
  lost,
  observedChurnRate,
  onChange,
}: {
  value: CustomerStatus;
  active: number | undefined;
  lost: number | undefined;
  observedChurnRate: number | null | undefined;
  onChange: (status: CustomerStatus) => void;
}) {
  const options: { status: CustomerStatus; label: string; count: number | undefined }[] = [
    { status: "active", label: "Active customers", count: active },
    { status: "lost", label: "Lost", count: lost },
  ];
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
      <fieldset className="inline-flex rounded-md border bg-muted/40 p-0.5">
        <legend className="sr-only">Which customers</legend>
        {options.map((o) => {
          const isOn = o.status === value;
          return (
            <button
              key={o.status}
              type="button"
              aria-pressed={isOn}
              data-testid={`status-${o.status}`}
              onClick={() => onChange(o.status)}
              className={cn(
                "inline-flex h-8 items-center gap-1.5 rounded px-3 font-medium text-sm transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                isOn
                  ? "bg-background text-foreground shadow-sm"
                  : "text-muted-foreground hover:text-foreground",
              )}
            >
              {o.label}
              <span
                className="text-muted-foreground text-xs tabular-nums"
                data-testid={`status-${o.status}-count`}
              >
                {o.count === undefined ? "…" : o.count.toLocaleString("en-US")}
              </span>
            </button>
          );
        })}
      </fieldset>
      <p className="text-muted-foreground text-xs" data-testid="observed-churn-rate">
        Observed churn rate{" "}
        <span className="font-medium text-foreground tabular-nums">
          {observedChurnRate === null || observedChurnRate === undefined
            ? "—"
            : formatRisk(observedChurnRate)}
        </span>{" "}
        · lost customers already left and are never counted as at risk
      </p>
    </div>
  );
}
