import { defineConfig } from "@playwright/test";
import { chromiumProject } from "./e2e/chromium-project";

/**
 * The production-shape journey (e2e/production-shape.spec.ts): the production build served as
 * AWS Lambda would run it (scripts/e2e/production-shape-server.ts): `next start` with
 * AWS_LAMBDA_FUNCTION_NAME set, on a fresh PostgreSQL database, a read-only data folder, files on
 * the fake S3 server (region-checked), jobs only through /api/inngest driven by an Inngest-protocol
 * driver, realtime through a Pusher-protocol server, Lambda's 6 MB payload limits in front.
 * Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) and a build:
 *
 *   E2E_PORT=3613 npx playwright test -c playwright.production-shape.config.ts
 */
const port = Number(process.env.E2E_PORT ?? 3613);

export default defineConfig({
  testDir: "./e2e",
  testMatch: "production-shape.spec.ts",
  outputDir: "./test-results/production-shape",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 240_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [chromiumProject("chromium-production-shape")],
  webServer: {
    command: `node node_modules/tsx/dist/cli.mjs scripts/e2e/production-shape-server.ts ${port}`,
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
