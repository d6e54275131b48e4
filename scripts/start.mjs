#!/usr/bin/env node
/**
 * `npm start`: builds the production bundle when the sources changed since the last build, then
 * serves it (scripts/serve.mjs). The server migrates the database and, on a fresh embedded
 * install, creates the demo admin (see server/startup.ts).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import path from "node:path";
import {
  buildReason,
  createBuildReporter,
  readLastBuildMs,
  runBuild,
  writeLastBuildMs,
} from "./start/build-progress.mjs";

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
const timingFile = path.join(root, ".next", "churnguard-build-time.json");
const fingerprint = sourceFingerprint();
const hasBuild = existsSync(path.join(root, ".next", "BUILD_ID"));
const built = hasBuild && existsSync(stampFile) && readFileSync(stampFile, "utf8") === fingerprint;
const isForced = process.argv.includes("--rebuild");
if (!built || isForced) {
  const reporter = createBuildReporter({
    log: (line) => console.log(line),
    now: () => Date.now(),
    reason: buildReason({ hasBuild, isForced }),
    cores: availableParallelism(),
    lastBuildMs: readLastBuildMs(timingFile),
  });
  // The project's own Next.js, run by this Node: no npx lookup, and no shell on Windows.
  const { status, buildMs } = await runBuild({
    command: process.execPath,
    args: [createRequire(import.meta.url).resolve("next/dist/bin/next"), "build"],
    cwd: root,
    env: process.env,
    reporter,
  });
  if (status !== 0) process.exit(status);
  writeFileSync(stampFile, fingerprint);
  writeLastBuildMs(timingFile, buildMs);
}

const { serveAll, workerCount } = await import("./serve.mjs");
const port = Number(process.env.PORT ?? 3000);
const workers = workerCount();
console.log(
  `[churnguard] starting on http://localhost:${port}` +
    (workers > 1 ? ` with ${workers} server processes (PostgreSQL; WEB_CONCURRENCY sets the count)` : ""),
);
await serveAll({ port, workers });
console.log(`[churnguard] ready on http://localhost:${port}`);
