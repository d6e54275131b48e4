/**
 * `npm run bench:transitions`: route transitions in the browser after the first load.
 *
 * Against a production build (NEXT_DIST_DIR, default .next-bench-load) and a fresh seeded database
 * (PostgreSQL when DATABASE_URL is set, else PGlite; `--db` chooses), Chromium signs in through the
 * form, opens the dashboard, lets the sidebar's prefetches finish, then clicks the sidebar around
 * Dashboard → Customers → Models → Analytics → Dashboard `--rounds` times (after one warm-up round).
 * Each transition is timed inside the page (performance.now(), polled every animation frame) from the
 * click to:
 *   - "shown": the URL is the new page's and its heading is on screen (the page is usable);
 *   - "complete": no loading skeleton is left in the main area (streamed panels included).
 * Reports p50/p95 of both per transition; the target is ≤ 100 ms after the first load.
 *
 *   npm run bench:transitions [-- --db pglite|postgres] [--rounds 20] [--port 3615] [--json]
 *   npm run bench:transitions -- --url http://127.0.0.1:3000 --email a@b.c --password …  (a running server)
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import {
  type Credentials,
  ensureBuild,
  type Kind,
  prepareDatabase,
  startServer,
  stopServer,
  waitFor,
} from "./server-harness";

const { values } = parseArgs({
  options: {
    db: { type: "string" },
    rounds: { type: "string", default: "20" },
    port: { type: "string", default: "3615" },
    url: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    json: { type: "boolean", default: false },
    rebuild: { type: "boolean", default: false },
  },
});
const ROUNDS = Number(values.rounds);
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next-bench-load";
const log = (message: string) => {
  if (!values.json) console.log(`[bench:transitions] ${message}`);
};

/** The sidebar walk: the link's label, the path it opens and the page's heading. */
const WALK = [
  { label: "Customers", path: "/customers", heading: "^Customers$" },
  { label: "Models", path: "/models", heading: "^Models$" },
  { label: "Analytics", path: "/analytics", heading: "^Analytics$" },
  { label: "Dashboard", path: "/dashboard", heading: "^Welcome, " },
] as const;

interface Timing {
  shown: number;
  complete: number;
}

function percentile(values: number[], p: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
}

async function measureTransitions(base: string, admin: Credentials) {
  const executablePath =
    process.env.PLAYWRIGHT_CHROMIUM_PATH ??
    (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // tsx (esbuild, keepNames) wraps the functions handed to page.evaluate in a `__name` helper.
    await page.addInitScript({ content: "window.__name = (fn) => fn;" });
    await page.goto(`${base}/sign-in`);
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/dashboard/, { timeout: 60_000 });
    await page.waitForLoadState("networkidle");

    const timings = new Map<string, Timing[]>(
      WALK.map((w, i) => [`${WALK.at(i - 1)?.path} → ${w.path}`, []]),
    );
    for (let round = -1; round < ROUNDS; round++) {
      for (let i = 0; i < WALK.length; i++) {
        const step = WALK[i];
        const name = `${WALK.at(i - 1)?.path} → ${step.path}`;
        // Prefetch warmed: the links' prefetches of the page just opened have finished.
        await page.waitForLoadState("networkidle");
        await page.waitForTimeout(200);
        const timing = await page.evaluate(
          ({ label, path, heading }) =>
            new Promise<Timing>((resolve, reject) => {
              const link = [...document.querySelectorAll<HTMLAnchorElement>('nav[aria-label="Main"] a')].find(
                (a) => a.textContent?.trim() === label,
              );
              if (!link) return reject(new Error(`no sidebar link "${label}"`));
              const pattern = new RegExp(heading);
              const start = performance.now();
              let shown = Number.NaN;
              const tick = () => {
                const now = performance.now();
                if (location.pathname === path) {
                  const h1 = document.querySelector("main h1");
                  if (Number.isNaN(shown) && h1 && pattern.test(h1.textContent?.trim() ?? ""))
                    shown = now - start;
                  if (!Number.isNaN(shown) && !document.querySelector('main [data-slot="skeleton"]'))
                    return resolve({ shown, complete: now - start });
                }
                if (now - start > 20_000) return resolve({ shown, complete: Number.NaN });
                requestAnimationFrame(tick);
              };
              link.click();
              tick();
            }),
          step,
        );
        if (round >= 0) timings.get(name)?.push(timing);
      }
    }
    return [...timings].map(([transition, list]) => ({
      transition,
      runs: list.length,
      shownP50: percentile(
        list.map((t) => t.shown),
        0.5,
      ),
      shownP95: percentile(
        list.map((t) => t.shown),
        0.95,
      ),
      completeP50: percentile(
        list.map((t) => t.complete),
        0.5,
      ),
      completeP95: percentile(
        list.map((t) => t.complete),
        0.95,
      ),
    }));
  } finally {
    await browser.close();
  }
}

async function main() {
  let base = values.url;
  let admin: Credentials = { email: values.email ?? "", password: values.password ?? "" };
  let stop = async () => {};
  let kind: Kind | "given server" = "given server";
  if (!base) {
    ensureBuild(DIST_DIR, { rebuild: values.rebuild, quiet: values.json, log });
    kind =
      values.db === "pglite" || values.db === "postgres"
        ? values.db
        : process.env.DATABASE_URL
          ? "postgres"
          : "pglite";
    if (kind === "postgres" && !process.env.DATABASE_URL) throw new Error("--db postgres needs DATABASE_URL");
    admin = { email: "bench-transitions@churnguard.test", password: "Bench-transitions-password-2026!" };
    const target = await prepareDatabase(kind, {
      name: `bench-transitions-${kind}`,
      admin,
      distDir: DIST_DIR,
      quiet: values.json,
      log,
    });
    base = `http://127.0.0.1:${values.port}`;
    const server = startServer(target, Number(values.port));
    stop = () => stopServer(server);
    const url = base;
    await waitFor(
      "the server",
      180_000,
      async () => (await fetch(`${url}/api/health`)).ok,
      () => server.exitCode === null,
    );
  }
  try {
    log(`${kind}: ${ROUNDS} rounds of ${WALK.map((w) => w.label).join(" → ")} after one warm-up round`);
    const results = await measureTransitions(base, admin);
    if (values.json) console.log(JSON.stringify({ kind, rounds: ROUNDS, results }));
    else
      for (const r of results)
        log(
          `  ${r.transition.padEnd(26)} shown p50 ${r.shownP50} ms p95 ${r.shownP95} ms · complete p50 ${r.completeP50} ms p95 ${r.completeP95} ms (n=${r.runs})`,
        );
  } finally {
    await stop();
  }
}

main().catch((error) => {
  console.error("[bench:transitions] failed:", error);
  process.exit(1);
});
