"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

const TABS = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/schedules", label: "Schedules" },
  { href: "/admin/settings", label: "Settings" },
  { href: "/admin/jobs", label: "Jobs" },
];

export function AdminTabs() {
  const pathname = usePathname();
  return (
    // Six sections do not fit a phone: the bar scrolls sideways on its own, the page never does.
    <nav aria-label="Admin sections" className="flex gap-1 overflow-x-auto overflow-y-hidden border-b">
      {TABS.map((tab) => {
        const isActive = pathname.startsWith(tab.href);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={isActive ? "page" : undefined}
            className={cn(
              "-mb-px shrink-0 whitespace-nowrap border-b-2 px-3 py-2 font-medium text-sm outline-none transition-colors duration-150 focus-visible:ring-[3px] focus-visible:ring-ring/50",
              isActive
                ? "border-primary text-foreground"
                : "border-transparent text-muted-foreground hover:text-foreground",
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
