import type * as React from "react";

import { cn } from "@/lib/utils";

// The 2 s pulse is a slow ambient loop, not a UI transition, so it is exempt from the 300 ms budget
// (a faster loop would flash); globals.css stops it for prefers-reduced-motion.
function Skeleton({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div data-slot="skeleton" className={cn("animate-pulse rounded-md bg-accent", className)} {...props} />
  );
}

export { Skeleton };
