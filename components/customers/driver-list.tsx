import { cn } from "@/lib/utils";
import { formatFieldValue, formatPoints } from "./format";

export interface DriverEntry {
  column: string;
  value: string | number | null;
  contribution: number;
}

/** The stored top drivers of a score: "Contract = Month-to-month  +12.3 pts". */
export function DriverList({ drivers, className }: { drivers: DriverEntry[]; className?: string }) {
  if (drivers.length === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <ul className={cn("space-y-0.5 text-xs", className)}>
      {drivers.map((d) => (
        <li key={d.column} className="flex min-w-0 items-baseline gap-2">
          <span className="min-w-0 truncate" title={`${d.column} = ${formatFieldValue(d.value)}`}>
            <span className="text-muted-foreground">{d.column}</span> = {formatFieldValue(d.value)}
          </span>
          <span
            className={cn(
              "ml-auto shrink-0 tabular-nums",
              d.contribution > 0 ? "text-destructive" : "text-success",
            )}
          >
            {formatPoints(d.contribution)}
          </span>
        </li>
      ))}
    </ul>
  );
}
