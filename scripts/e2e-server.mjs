#!/usr/bin/env node
/** Serves the production build for Playwright on a fresh embedded data folder. */
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const port = process.argv[2] ?? "3100";
const distDir = process.env.NEXT_DIST_DIR || ".next";
if (!existsSync(path.join(root, distDir, "BUILD_ID"))) {
  console.error("No production build found: run `npx next build` first (npm test does this).");
  process.exit(1);
}
const dataDir = path.join(root, ".data", port === "3100" ? "e2e" : `e2e-${port}`);
rmSync(dataDir, { recursive: true, force: true });
const env = { ...process.env, DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1", SEED_DEMO: "always" };
// The journeys exercise the embedded defaults a new user gets; PostgreSQL is covered by the
// integration suites.
delete env.DATABASE_URL;
delete env.AUTH_SECRET;
// The same server as `npm start`, so the journeys cover the REST API's Node fast path.
const server = spawn(
  process.execPath,
  [path.join(root, "scripts", "serve.mjs"), "-p", port, "-H", "127.0.0.1"],
  {
    cwd: root,
    stdio: "inherit",
    env,
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
