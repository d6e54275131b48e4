import { existsSync } from "node:fs";
import { devices, type Project } from "@playwright/test";

/**
 * The one browser every Playwright config runs: PLAYWRIGHT_CHROMIUM_PATH, else Debian's
 * /usr/bin/chromium, else Playwright's own browser (for machines that have it), with the flags a
 * headless CI container needs and nothing that phones home.
 */
export function chromiumProject(name = "chromium"): Project {
  const executablePath =
    process.env.PLAYWRIGHT_CHROMIUM_PATH ??
    (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  return {
    name,
    use: {
      ...devices["Desktop Chrome"],
      launchOptions: {
        executablePath,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--disable-quic",
        ],
      },
    },
  };
}
