/**
 * What the page benchmarks share (bench:load, bench:transitions, bench:soak): the production build,
 * a fresh seeded database per engine, the production server (`scripts/serve.mjs`), real sign-ins
 * and the server's CPU time read from /proc.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);

export type Kind = "pglite" | "postgres";
export interface Target {
  kind: Kind;
  env: NodeJS.ProcessEnv;
  workers: number;
}
export interface Credentials {
  email: string;
  password: string;
}

/** Reuses the production build in `distDir`, or builds it. */
export function ensureBuild(
  distDir: string,
  options: { rebuild?: boolean; quiet?: boolean; log: (m: string) => void },
) {
  if (existsSync(path.join(root, distDir, "BUILD_ID")) && !options.rebuild) {
    options.log(`reusing the production build in ${distDir} (--rebuild to build again)`);
    return;
  }
  options.log(`building into ${distDir} (5–10 minutes on a busy machine)…`);
  const result = spawnSync(process.execPath, [require.resolve("next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: options.quiet ? "ignore" : "inherit",
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
  });
  // next build rewrites tsconfig.json; keep the checkout as it was.
  spawnSync("git", ["checkout", "--", "tsconfig.json"], { cwd: root, stdio: "ignore" });
  if (result.status !== 0) throw new Error("next build failed");
}

/**
 * A fresh database with `admin` and the sample dataset trained to the end (`npm run seed`), so
 * training never competes with the measurement. PostgreSQL: a database of its own (`database`).
 */
export async function prepareDatabase(
  kind: Kind,
  options: {
    name: string;
    /** The PostgreSQL database to (re)create; default: `name` with underscores. */
    database?: string;
    admin: Credentials;
    distDir: string;
    workers?: number;
    quiet?: boolean;
    log: (m: string) => void;
  },
): Promise<Target> {
  const dataDir = path.join(root, ".data", options.name);
  rmSync(dataDir, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    DEMO_ADMIN_EMAIL: options.admin.email,
    DEMO_ADMIN_PASSWORD: options.admin.password,
    SEED_DEMO: "never",
    NEXT_DIST_DIR: options.distDir,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  delete env.AUTH_SECRET;
  delete env.S3_BUCKET;
  let workers = 1;
  if (kind === "postgres") {
    const base = process.env.DATABASE_URL as string;
    const database = options.database ?? options.name.replace(/[^a-z0-9_]/g, "_");
    const { default: postgres } = await import("postgres");
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.unsafe(`create database ${database}`);
    await admin.end({ timeout: 5 });
    const url = new URL(base);
    url.pathname = `/${database}`;
    env.DATABASE_URL = url.toString();
    workers = options.workers ?? availableParallelism();
  } else {
    delete env.DATABASE_URL;
  }
  options.log(`${kind}: seeding the admin and training the sample dataset (a minute or two)…`);
  const seeded = spawnSync(
    process.execPath,
    [require.resolve("tsx/cli"), "scripts/seed.ts", "--create-admin", "--train-models"],
    { cwd: root, env, stdio: options.quiet ? "ignore" : "inherit" },
  );
  if (seeded.status !== 0) throw new Error(`seeding ${kind} failed`);
  rmSync(path.join(dataDir, "pglite.pid"), { force: true });
  return { kind, env, workers };
}

/** `scripts/serve.mjs` on `port` (one process per worker), as `npm start` runs it. */
export function startServer(target: Target, port: number, extraArgs: string[] = []): ChildProcess {
  const server = spawn(
    process.execPath,
    [
      ...extraArgs,
      path.join(root, "scripts", "serve.mjs"),
      "-p",
      String(port),
      "-H",
      "127.0.0.1",
      "--workers",
      String(target.workers),
    ],
    { cwd: root, env: { ...target.env, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  server.stdout?.on("data", (chunk: Buffer) => {
    if (process.env.BENCH_VERBOSE) process.stdout.write(chunk);
  });
  server.stderr?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  return server;
}

export async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
}

/** Polls `check` every second; `alive` returning false (the server exited) ends the wait at once. */
export async function waitFor(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  alive: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`Gave up waiting for ${what}: the process exited`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** The cookie header of `response`'s Set-Cookie entries, merged into `jar`. */
function keepCookies(jar: Map<string, string>, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

/** One signed-in session, the way the browser's sign-in form gets it (Auth.js credentials). */
export async function signIn(base: string, admin: Credentials): Promise<string> {
  const jar = new Map<string, string>();
  const csrfResponse = await fetch(`${base}/api/auth/csrf`);
  keepCookies(jar, csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({ email: admin.email, password: admin.password, csrfToken, callbackUrl: base }),
  });
  keepCookies(jar, response);
  if (![...jar.keys()].some((k) => k.includes("session-token")))
    throw new Error(`sign-in failed (${response.status})`);
  return cookieHeader(jar);
}

export const trpcUrl = (procedure: string, input: unknown) =>
  `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

export async function trpc<T>(base: string, cookie: string, procedure: string, input: unknown): Promise<T> {
  const response = await fetch(`${base}${trpcUrl(procedure, input)}`, { headers: { cookie } });
  if (!response.ok) throw new Error(`${procedure}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** The server process and its children (the cluster's workers), from /proc. */
function serverProcesses(serverPid: number): { pid: number; stat: string[] }[] {
  if (!existsSync("/proc")) return [];
  const found: { pid: number; stat: string[] }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // Fields after the command name (which may contain spaces): ppid is the 2nd.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(entry) === serverPid || Number(fields[1]) === serverPid)
      found.push({ pid: Number(entry), stat: fields });
  }
  return found;
}

/** CPU time (user + system, ms) of the server process and its children. */
export function serverCpuMs(serverPid: number | undefined): number {
  if (!serverPid) return 0;
  // utime/stime are the 12th/13th fields after the name; USER_HZ is 100 on Linux.
  return serverProcesses(serverPid).reduce(
    (sum, p) => sum + ((Number(p.stat[11]) + Number(p.stat[12])) / 100) * 1000,
    0,
  );
}

/** Resident memory (MB) of the server process and its children. */
export function serverRssMb(serverPid: number | undefined): number {
  if (!serverPid) return 0;
  // rss (in pages) is the 22nd field after the name.
  const pages = serverProcesses(serverPid).reduce((sum, p) => sum + Number(p.stat[21]), 0);
  return Math.round((pages * 4096) / 1024 / 1024);
}
