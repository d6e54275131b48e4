import { defineConfig } from "@playwright/test";
import { chromiumProject } from "./e2e/chromium-project";
import { E2E_ADMIN } from "./e2e/constants";

/**
 * The S3-storage journey (e2e/s3-storage.spec.ts) against the production build with files on the
 * repository's fake S3 server (scripts/e2e-s3-server.mjs), so the browser uploads straight to the
 * bucket through presigned URLs and downloads come back from it. Its own config because it needs
 * its own server; `npm test` runs it after the default journeys:
 *
 *   E2E_PORT=3150 npx playwright test -c playwright.s3-storage.config.ts
 */
const port = Number(process.env.E2E_PORT ?? 3150);

export default defineConfig({
  testDir: "./e2e",
  testMatch: "s3-storage.spec.ts",
  outputDir: "./test-results/s3-storage",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [chromiumProject("chromium-s3-storage")],
  webServer: {
    command: `node scripts/e2e-s3-server.mjs ${port}`,
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { DEMO_ADMIN_EMAIL: E2E_ADMIN.email, DEMO_ADMIN_PASSWORD: E2E_ADMIN.password },
  },
});
