import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: [
      "lib/**/*.test.ts",
      "server/**/*.test.ts",
      "jobs/**/*.test.ts",
      "scripts/**/*.test.ts",
      "app/**/*.test.ts",
      "data/**/*.test.ts",
      "infra/**/*.test.ts",
    ],
    environment: "node",
    // Route tests sign in through the real Auth.js config, which needs a secret; without one it
    // would generate and keep one under .data. Test-only, never used outside vitest.
    env: { AUTH_SECRET: "vitest-only-auth-secret-0123456789abcdef" },
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Files and the tests in each file run in a random order, so a test that leans on another's
    // leftovers fails here rather than after a harmless reordering. Vitest prints the seed
    // ("Running tests with seed …"); repeat an order with `npx vitest run --sequence.seed=<seed>`.
    sequence: { shuffle: { files: true, tests: true } },
    globalSetup: ["./server/testing/global-setup.ts"],
    setupFiles: ["./jobs/test-setup.ts"],
  },
});
