#!/usr/bin/env node
/**
 * `npm start`: builds the production bundle when the sources changed since the last build, then
 * serves it (scripts/serve.mjs). The server migrates the database and, on a fresh embedded
 * install, creates the demo admin (see server/startup.ts).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const SOURCE_ROOTS = [
  "app",
  "components",
  "lib",
  "server",
  "jobs",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.mjs",
  "package-lock.json",
  "postcss.config.mjs",
];
const SKIP = new Set(["node_modules", ".next", ".data"]);

function hashTree(hash, target) {
  if (!existsSync(target)) return;
  const stat = statSync(target);
  if (stat.isDirectory()) {
    for (const entry of readdirSync(target).sort())
      if (!SKIP.has(entry)) hashTree(hash, path.join(target, entry));
  } else if (!/\.test\.tsx?$/.test(target)) {
    hash.update(path.relative(root, target)).update(readFileSync(target));
  }
}

function sourceFingerprint() {
  const hash = createHash("sha256");
  for (const entry of SOURCE_ROOTS) hashTree(hash, path.join(root, entry));
  return hash.digest("hex");
}

process.env.NEXT_TELEMETRY_DISABLED = "1";
const stampFile = path.join(root, ".next", "churnguard-source-hash");
const fingerprint = sourceFingerprint();
const built =
  existsSync(path.join(root, ".next", "BUILD_ID")) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, "utf8") === fingerprint;
if (!built || process.argv.includes("--rebuild")) {
  console.log("[churnguard] building the production bundle (first start or sources changed)…");
  const result = spawnSync("npx", ["next", "build"], { cwd: root, stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stampFile, fingerprint);
}

const { serve } = await import("./serve.mjs");
const port = Number(process.env.PORT ?? 3000);
console.log(`[churnguard] starting on http://localhost:${port}`);
await serve({ port });
console.log(`[churnguard] ready on http://localhost:${port}`);
