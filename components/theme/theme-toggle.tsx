"use client";

import { MoonIcon, SunIcon } from "lucide-react";
import { useTheme } from "next-themes";
import * as React from "react";

import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

const subscribeToNothing = () => () => {};

/** True only after hydration: the server cannot know the stored or system theme. */
function useIsHydrated() {
  return React.useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}

/**
 * Switches between light and dark. The icons swap through the `dark:` variant, so the server HTML
 * and the first client render are identical (no hydration mismatch, no icon flash); `aria-pressed`
 * is only set once the resolved theme is known on the client.
 */
function ThemeToggle({
  className,
  ...props
}: Omit<React.ComponentProps<typeof Button>, "onClick" | "children">) {
  const { resolvedTheme, setTheme } = useTheme();
  const isHydrated = useIsHydrated();
  const isDark = resolvedTheme === "dark";

  return (
    <Button
      type="button"
      variant="ghost"
      size="icon"
      aria-label="Toggle dark mode"
      aria-pressed={isHydrated ? isDark : undefined}
      className={cn("relative", className)}
      onClick={() => setTheme(isDark ? "light" : "dark")}
      {...props}
    >
      <SunIcon
        aria-hidden="true"
        className="scale-100 rotate-0 transition-transform dark:scale-0 dark:-rotate-90"
      />
      <MoonIcon
        aria-hidden="true"
        className="absolute scale-0 rotate-90 transition-transform dark:scale-100 dark:rotate-0"
      />
    </Button>
  );
}

export { ThemeToggle };
