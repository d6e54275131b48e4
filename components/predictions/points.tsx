import { ArrowDown, ArrowUp } from "lucide-react";
import { formatSignedPoints } from "@/lib/retention";
import { cn } from "@/lib/utils";

/** Signed probability points with an arrow and colour: "↑ +18 pts" raises risk, "↓ −5 pts" lowers it. */
export function SignedPoints({ points, className }: { points: number; className?: string }) {
  const raises = points > 0;
  const Arrow = raises ? ArrowUp : ArrowDown;
  return (
    <span
      className={cn(
        "inline-flex shrink-0 items-center gap-0.5 font-medium tabular-nums text-xs",
        raises ? "text-destructive" : "text-success",
        className,
      )}
    >
      <Arrow className="size-3.5" aria-hidden="true" />
      {formatSignedPoints(points)} pts
      <span className="sr-only">{raises ? " (raises risk)" : " (lowers risk)"}</span>
    </span>
  );
}
