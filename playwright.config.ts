import { defineConfig } from "@playwright/test";
import { chromiumProject } from "./e2e/chromium-project";
import { E2E_ADMIN } from "./e2e/constants";

/**
 * E2E journeys against a production build (`next build` first; `npm test` does it) served on its
 * embedded defaults with a fresh data folder. Chromium: PLAYWRIGHT_CHROMIUM_PATH, else Debian's
 * /usr/bin/chromium, else Playwright's own browser (for machines that have it).
 */
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "./e2e",
  // Need their own servers: playwright.s3-storage.config.ts (files in S3) and
  // playwright.production-shape.config.ts (the app as Lambda runs it).
  testIgnore: ["**/s3-storage.spec.ts", "**/production-shape.spec.ts"],
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [chromiumProject()],
  webServer: {
    command: `node scripts/e2e-server.mjs ${port}`,
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { DEMO_ADMIN_EMAIL: E2E_ADMIN.email, DEMO_ADMIN_PASSWORD: E2E_ADMIN.password },
  },
});
