"use client";

import { ThemeProvider as NextThemesProvider } from "next-themes";
import type * as React from "react";

/**
 * App-wide light/dark theme: the `.dark` class on <html> (which `@custom-variant dark` in globals.css
 * keys on), following the OS until the user picks a mode. Needs `suppressHydrationWarning` on <html>,
 * because next-themes sets the class before React hydrates.
 */
function ThemeProvider({ children, ...props }: React.ComponentProps<typeof NextThemesProvider>) {
  return (
    <NextThemesProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      {...props}
    >
      {children}
    </NextThemesProvider>
  );
}

export { ThemeProvider };
