#!/usr/bin/env node
/**
 * Serves the production build for the S3-storage journey (playwright.s3-storage.config.ts): files
 * on the repository's fake S3 server (its own process, port + 10000), so uploads go straight to the
 * bucket through presigned URLs and downloads come back from it; PostgreSQL in a database created
 * fresh for the run when DATABASE_URL is set (CI), else a fresh PGlite folder.
 */
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";

const root = path.resolve(import.meta.dirname, "..");
const port = process.argv[2] ?? "3150";
const s3Port = String(Number(port) + 10_000);
const bucket = "churnguard-e2e";
const distDir = process.env.NEXT_DIST_DIR || ".next";
if (!existsSync(path.join(root, distDir, "BUILD_ID"))) {
  console.error("No production build found: run `npx next build` first (npm test does this).");
  process.exit(1);
}
const dataDir = path.join(root, ".data", `e2e-s3-${port}`);
rmSync(dataDir, { recursive: true, force: true });

const env = {
  ...process.env,
  DATA_DIR: dataDir,
  NEXT_TELEMETRY_DISABLED: "1",
  SEED_DEMO: "always",
  S3_BUCKET: bucket,
  S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
  S3_REGION: "eu-central-1",
  AWS_ACCESS_KEY_ID: "e2e",
  AWS_SECRET_ACCESS_KEY: "e2e",
};
delete env.AUTH_SECRET;
if (process.env.DATABASE_URL) {
  // A database of its own, created fresh: the journey must not see another run's rows.
  const name = `churnguard_e2e_s3_${port}`;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
}

const children = [];
const s3 = spawn(
  process.execPath,
  [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/fake-s3.ts", s3Port, bucket],
  {
    cwd: root,
    stdio: "inherit",
    env: process.env,
  },
);
children.push(s3);
const server = spawn(
  process.execPath,
  [path.join(root, "scripts", "serve.mjs"), "-p", port, "-H", "127.0.0.1"],
  {
    cwd: root,
    stdio: "inherit",
    env,
  },
);
children.push(server);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}
server.on("exit", (code) => {
  s3.kill("SIGTERM");
  process.exit(code ?? 0);
});
s3.on("exit", (code) => {
  if (code) {
    console.error(`The fake S3 server stopped (${code})`);
    server.kill("SIGTERM");
  }
});
