import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

/** What a page shows before it has data: what will appear here and how to get there. */
export function EmptyState({
  icon: Icon,
  title,
  children,
  action,
}: {
  icon: LucideIcon;
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <section
      aria-label={title}
      className="flex flex-col items-center justify-center rounded-xl border border-dashed px-6 py-16 text-center"
    >
      <div className="mb-4 flex size-12 items-center justify-center rounded-full bg-primary/10 text-primary">
        <Icon className="size-6" aria-hidden="true" />
      </div>
      <h2 className="font-semibold text-lg">{title}</h2>
      <div className="mt-2 max-w-md text-muted-foreground text-sm">{children}</div>
      {action && <div className="mt-6">{action}</div>}
    </section>
  );
}
