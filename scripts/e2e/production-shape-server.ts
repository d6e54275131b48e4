/**
 * Serves the production build the way AWS Lambda would run it, for the production-shape journey
 * (playwright.production-shape.config.ts, e2e/production-shape.spec.ts), without an AWS account:
 *
 * - the environment is the one sst.config.ts gives the functions (infra/app-environment.ts) plus
 *   what the Lambda runtime adds (AWS_LAMBDA_FUNCTION_NAME, AWS_REGION=eu-central-1), with the
 *   managed services' addresses pointed at local stand-ins;
 * - `next start` (the route handlers Lambda runs, not `npm start`'s own server) on PostgreSQL, in
 *   a database created fresh for the run; the first admin comes from `npm run admin:create`, as in
 *   the deploy steps (sign-up is closed), and its set-password link goes to the journey;
 * - a read-only data folder (DATA_DIR, mode 0555), and the server runs as `nobody` when started as
 *   root, so nothing in the checkout (the build folder included) is writable: like /var/task;
 * - files on the repository's fake S3 server, which refuses requests signed for another region
 *   than the bucket's (eu-central-1), as S3 does;
 * - jobs only through `/api/inngest`, driven by scripts/e2e/inngest-driver.mjs (Inngest's protocol,
 *   signed with INNGEST_SIGNING_KEY);
 * - realtime through scripts/e2e/fake-pusher.mjs (Pusher's HTTP and websocket protocols);
 * - in front, a proxy with Lambda's payload limits: a request or response body over 6 MB is
 *   refused (413 / connection cut) and counted at `GET /_lambda/stats`.
 *
 * PRODUCTION_SHAPE_APP_ENV (JSON) overrides the app's variables, to see the journey fail on a
 * configuration Lambda would break on, e.g. '{"S3_REGION":"us-east-1"}'.
 *
 * Ports: the app (proxy) on <port>, the Inngest driver on <port> + 10001, Pusher on + 10002, S3 on
 * + 10003, `next start` on + 10004. Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) is only
 * used to create the run's own database.
 *
 *   NEXT_DIST_DIR=.next-prodshape npx tsx scripts/e2e/production-shape-server.ts 3613
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { type AppResources, appEnvironment, interpolateStrings } from "../../infra/app-environment";
import { startFakeS3 } from "../../server/storage/fake-s3-server";

const root = path.resolve(import.meta.dirname, "..", "..");
const port = Number(process.argv[2] ?? process.env.E2E_PORT ?? 3613);
// Away from the app's neighbours: other servers take the ports right after it.
const driverPort = port + 10_001;
const pusherPort = port + 10_002;
const s3Port = port + 10_003;
const nextPort = port + 10_004;
const REGION = "eu-central-1";
const BUCKET = "churnguard-production-shape";
/** Lambda's limit on a synchronous invocation's request and response payloads. */
const LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024;
const ADMIN_EMAIL = "ops-admin@churnguard.test";

const distDir = process.env.NEXT_DIST_DIR || ".next";
if (!existsSync(path.join(root, distDir, "BUILD_ID"))) {
  console.error(`No production build in ${distDir}: run \`npx next build\` first.`);
  process.exit(1);
}

/** Where the launcher tells the journey the admin's set-password link (read by the spec). */
function setupFile(forPort: number): string {
  return path.join(tmpdir(), `churnguard-production-shape-${forPort}.json`);
}

const children: ChildProcess[] = [];
function stopAll(code: number): never {
  for (const child of children) child.kill("SIGTERM");
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stopAll(0));

// ─── PostgreSQL: a database of its own ───────────────────────────────────────────────────────────
const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const dbName = `churnguard_production_shape_${port}`;
{
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.unsafe(`create database ${dbName}`);
  await admin.end();
}
const databaseUrl = new URL(adminUrl);
databaseUrl.pathname = `/${dbName}`;

// ─── A read-only data folder, and a user who cannot write to the checkout ────────────────────────
const dataDir = path.join(root, ".data", `e2e-production-shape-${port}`);
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
chmodSync(dataDir, 0o555);
const asRoot = process.getuid?.() === 0;
const NOBODY = 65_534;

// ─── The environment sst.config.ts + the Lambda runtime give the function ────────────────────────
const secrets = {
  inngestEventKey: `event-${randomBytes(8).toString("hex")}`,
  inngestSigningKey: `signkey-test-${randomBytes(32).toString("hex")}`,
  pusherAppId: "1700001",
  pusherKey: `key${randomBytes(6).toString("hex")}`,
  pusherSecret: randomBytes(16).toString("hex"),
};
const resources: AppResources<string> = {
  databaseHost: "127.0.0.1",
  databasePort: "5432",
  databaseName: dbName,
  databaseUser: "postgres",
  databasePassword: "unused",
  bucketName: BUCKET,
  authSecret: randomBytes(32).toString("base64url"),
  ...secrets,
  pusherCluster: "eu",
};
const appEnv: Record<string, string> = {
  PATH: process.env.PATH ?? "",
  HOME: tmpdir(),
  TMPDIR: tmpdir(),
  NEXT_DIST_DIR: distDir,
  NEXT_TELEMETRY_DISABLED: "1",
  ...appEnvironment(resources, interpolateStrings),
  // What the Lambda runtime sets on its own.
  AWS_LAMBDA_FUNCTION_NAME: "churnguard-production-shape-WebServerEucentral1Function",
  AWS_REGION: REGION,
  AWS_ACCESS_KEY_ID: "AKIAPRODUCTIONSHAPE",
  AWS_SECRET_ACCESS_KEY: "production-shape-secret",
  // The local stand-ins for the managed services.
  DATABASE_URL: databaseUrl.toString(),
  S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
  INNGEST_BASE_URL: `http://127.0.0.1:${driverPort}`,
  PUSHER_HOST: "127.0.0.1",
  PUSHER_PORT: String(pusherPort),
  PUSHER_USE_TLS: "false",
  AUTH_TRUST_HOST: "true",
  DATA_DIR: dataDir,
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  // To watch the journey fail on a wrong configuration, e.g. '{"S3_REGION":"us-east-1"}'
  // ("" removes a variable).
  ...(JSON.parse(process.env.PRODUCTION_SHAPE_APP_ENV ?? "{}") as Record<string, string>),
};
for (const [name, value] of Object.entries(appEnv)) if (value === "") delete appEnv[name];

// ─── The stand-ins ───────────────────────────────────────────────────────────────────────────────
const s3 = await startFakeS3(BUCKET, { port: s3Port, region: REGION });
console.log(`[production-shape] fake S3 (${REGION}) at ${s3.endpoint}`);

function child(name: string, args: string[], env: Record<string, string>, options: { uid?: number } = {}) {
  const proc = spawn(process.execPath, args, {
    cwd: root,
    stdio: "inherit",
    env: env as NodeJS.ProcessEnv,
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  children.push(proc);
  proc.on("exit", (code, signal) => {
    console.error(`[production-shape] ${name} stopped (${code ?? signal})`);
    stopAll(1);
  });
  return proc;
}
child("the Inngest driver", ["scripts/e2e/inngest-driver.mjs", String(driverPort)], {
  PATH: appEnv.PATH,
  INNGEST_SIGNING_KEY: secrets.inngestSigningKey,
  INNGEST_EVENT_KEY: secrets.inngestEventKey,
});
child("the Pusher server", ["scripts/e2e/fake-pusher.mjs", String(pusherPort)], {
  PATH: appEnv.PATH,
  PUSHER_APP_ID: secrets.pusherAppId,
  PUSHER_KEY: secrets.pusherKey,
  PUSHER_SECRET: secrets.pusherSecret,
});

// ─── The deploy step: the first admin (migrates the database on the way) ────────────────────────
const { AWS_LAMBDA_FUNCTION_NAME: _notOnLambda, ...deployStepEnv } = appEnv;
const adminOutput = await new Promise<string>((resolve, reject) => {
  const proc = spawn(
    process.execPath,
    [
      path.join(root, "node_modules", "tsx", "dist", "cli.mjs"),
      "scripts/admin-create.ts",
      "--email",
      ADMIN_EMAIL,
      "--name",
      "Ops Admin",
      "--url",
      `http://127.0.0.1:${port}`,
    ],
    // Run from the operator's machine (not Lambda), against the deployed database.
    { cwd: root, env: deployStepEnv as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  proc.stdout.on("data", (chunk) => {
    out += chunk;
  });
  proc.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`admin:create failed (${code})`))));
});
const link = /(http:\/\/\S+\/set-password\/\S+)/.exec(adminOutput)?.[1];
if (!link) {
  console.error(`[production-shape] no set-password link in admin:create's output:\n${adminOutput}`);
  stopAll(1);
}
writeFileSync(setupFile(port), JSON.stringify({ email: ADMIN_EMAIL, link, region: REGION, bucket: BUCKET }));

// ─── The app, as Lambda runs it ──────────────────────────────────────────────────────────────────
child(
  "next start",
  [
    path.join(root, "node_modules", "next", "dist", "bin", "next"),
    "start",
    "-p",
    String(nextPort),
    "-H",
    "127.0.0.1",
  ],
  appEnv,
  asRoot ? { uid: NOBODY } : {},
);

// ─── Lambda's payload limits in front of it ──────────────────────────────────────────────────────
const lambdaStats = { requests: 0, refusedRequests: [] as string[], cutResponses: [] as string[] };
let ready = false;
const proxy = createServer((req, res) => {
  const url = req.url ?? "/";
  if (url === "/_lambda/stats") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify(lambdaStats));
  }
  if (!ready && !url.startsWith("/api/inngest")) {
    res.writeHead(503, { "content-type": "text/plain" });
    return res.end("starting");
  }
  lambdaStats.requests++;
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > LAMBDA_PAYLOAD_LIMIT) {
    lambdaStats.refusedRequests.push(`${req.method} ${url} (${declared} bytes)`);
    res.writeHead(413, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation",
      }),
    );
    req.resume();
    return;
  }
  const upstream = httpRequest(
    { host: "127.0.0.1", port: nextPort, method: req.method, path: url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      let sent = 0;
      answer.on("data", (chunk: Buffer) => {
        sent += chunk.length;
        if (sent > LAMBDA_PAYLOAD_LIMIT) {
          lambdaStats.cutResponses.push(`${req.method} ${url}`);
          answer.destroy();
          res.destroy();
          return;
        }
        res.write(chunk);
      });
      answer.on("end", () => res.end());
    },
  );
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  let received = 0;
  req.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (received > LAMBDA_PAYLOAD_LIMIT) {
      lambdaStats.refusedRequests.push(`${req.method} ${url} (over ${received} bytes)`);
      upstream.destroy();
      if (!res.headersSent) res.writeHead(413);
      res.end();
      return;
    }
    upstream.write(chunk);
  });
  req.on("end", () => upstream.end());
});
await new Promise<void>((resolve) => proxy.listen(port, "127.0.0.1", resolve));

// Wait for the app, then sync it with the driver (Inngest Cloud's "sync app").
const started = Date.now();
for (;;) {
  try {
    const health = await fetch(`http://127.0.0.1:${nextPort}/api/health`);
    if (health.ok) break;
  } catch {
    // not listening yet
  }
  if (Date.now() - started > 120_000) {
    console.error("[production-shape] the app did not answer /api/health within 2 minutes");
    stopAll(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
const sync = await fetch(
  `http://127.0.0.1:${driverPort}/_driver/sync?url=${encodeURIComponent(`http://127.0.0.1:${port}/api/inngest`)}`,
  { method: "POST" },
);
if (!sync.ok) {
  console.error(`[production-shape] the app did not sync with the Inngest driver: ${await sync.text()}`);
  stopAll(1);
}
ready = true;
console.log(
  `[production-shape] ready at http://127.0.0.1:${port} (app as ${asRoot ? "nobody" : "this user"})`,
);
