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
    ],
    environment: "node",
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    globalSetup: ["./server/testing/global-setup.ts"],
    setupFiles: ["./jobs/test-setup.ts"],
  },
});
