import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  buildReason,
  createBuildReporter,
  estimateOf,
  formatElapsed,
  introMessage,
  QUIET_MS,
  readLastBuildMs,
  runBuild,
  stepOf,
  writeLastBuildMs,
} from "./build-progress.mjs";

/** A reporter on a hand-moved clock, collecting what `npm start` would print. */
function reporterAt(options: { reason?: string; cores?: number; lastBuildMs?: number | null } = {}) {
  const lines: string[] = [];
  const clock = { t: 1_000_000 };
  const reporter = createBuildReporter({
    log: (line: string) => lines.push(line),
    now: () => clock.t,
    reason: options.reason ?? "first",
    cores: options.cores ?? 2,
    lastBuildMs: options.lastBuildMs ?? null,
  });
  return { reporter, lines, clock };
}

describe("what npm start says while it builds", () => {
  it("says why it builds and about how long it takes, before Next.js prints anything", () => {
    expect(introMessage({ reason: "first", cores: 2, lastBuildMs: null })).toBe(
      "[churnguard] Building the app for the first start (about 2–3 minutes on 2 cores). Next.js prints its steps below; the server starts when it is done.",
    );
    expect(introMessage({ reason: "changed", cores: 8, lastBuildMs: null })).toMatch(
      /^\[churnguard\] The sources changed since the last build: rebuilding the app \(about a minute on 8 cores\)/,
    );
    expect(introMessage({ reason: "forced", cores: 4, lastBuildMs: 131_000 })).toMatch(
      /^\[churnguard\] Rebuilding the app \(--rebuild\) \(about 2 minutes \(the last build here took 2 min 11 s\)\)/,
    );
  });

  it("estimates from the core count, or from the last build on this machine", () => {
    expect(estimateOf({ cores: 1, lastBuildMs: null })).toBe("about 2–3 minutes on 1 core");
    expect(estimateOf({ cores: 4, lastBuildMs: null })).toBe("about 1–2 minutes on 4 cores");
    expect(estimateOf({ cores: 16, lastBuildMs: null })).toBe("about a minute on 16 cores");
    expect(estimateOf({ cores: 2, lastBuildMs: 40_000 })).toBe(
      "about a minute (the last build here took 40 s)",
    );
  });

  it("formats elapsed time in seconds, then minutes and seconds", () => {
    expect(formatElapsed(0)).toBe("0 s");
    expect(formatElapsed(44_600)).toBe("45 s");
    expect(formatElapsed(125_000)).toBe("2 min 05 s");
  });

  it("names Next.js' steps in words", () => {
    expect(stepOf("   Creating an optimized production build ...")).toBe("compiling the app");
    expect(stepOf(" ✓ Compiled successfully in 95s")).toBe("compiled");
    expect(stepOf("   Collecting page data using 1 worker ...")).toBe("collecting page data");
    expect(stepOf(" \u001b[32m✓\u001b[39m Generating static pages (12/12)")).toBe("generating static pages");
    expect(stepOf("   Finalizing page optimization ...")).toBe("finishing");
    expect(stepOf("Route (app)")).toBeNull();
  });

  it("passes Next.js' lines through and, while the build is quiet, says it is still working", () => {
    const { reporter, lines, clock } = reporterAt();
    reporter.start();
    reporter.line("   ▲ Next.js 16.4.6 (Turbopack)");
    reporter.line("   Creating an optimized production build ...");
    reporter.line("");
    clock.t += QUIET_MS - 1;
    reporter.tick();
    expect(lines).toHaveLength(3);
    clock.t += 1;
    reporter.tick();
    clock.t += 5_000;
    reporter.tick();
    clock.t += QUIET_MS;
    reporter.tick();
    reporter.line(" ✓ Compiled successfully in 95s");
    clock.t += 60_000;
    expect(reporter.finish(0)).toBe(QUIET_MS * 2 + 5_000 + 60_000);
    expect(lines.slice(1)).toEqual([
      "     ▲ Next.js 16.4.6 (Turbopack)",
      "     Creating an optimized production build ...",
      "[churnguard] still building (compiling the app): 15 s so far…",
      "[churnguard] still building (compiling the app): 35 s so far…",
      "   ✓ Compiled successfully in 95s",
      "[churnguard] built in 1 min 35 s.",
    ]);
  });

  it("says when the build failed, with its exit code", () => {
    const { reporter, lines, clock } = reporterAt({ reason: "changed" });
    reporter.start();
    clock.t += 3_000;
    reporter.finish(1);
    expect(lines.at(-1)).toBe(
      "[churnguard] the build failed after 3 s (exit code 1); see the messages above.",
    );
  });

  it("chooses the reason from the existing build and --rebuild", () => {
    expect(buildReason({ hasBuild: false, isForced: false })).toBe("first");
    expect(buildReason({ hasBuild: true, isForced: false })).toBe("changed");
    expect(buildReason({ hasBuild: true, isForced: true })).toBe("forced");
  });
});

describe("the last build's duration", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is remembered beside the build and ignored when missing or unreadable", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "churnguard-start-"));
    const file = path.join(dir, "build-time.json");
    expect(readLastBuildMs(file)).toBeNull();
    writeLastBuildMs(file, 131_000);
    expect(readLastBuildMs(file)).toBe(131_000);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, "not json");
    expect(readLastBuildMs(file)).toBeNull();
  });
});

describe("runBuild", () => {
  it("streams the command's output lines through the reporter and resolves with its status", async () => {
    const { reporter, lines } = reporterAt();
    const script = [
      "console.log('   Creating an optimized production build ...');",
      "process.stderr.write('a warning\\nwithout a newline at the end');",
      "process.exitCode = 3;",
    ].join("");
    const result = await runBuild({
      command: process.execPath,
      args: ["-e", script],
      cwd: process.cwd(),
      env: process.env,
      reporter,
    });
    expect(result.status).toBe(3);
    expect(lines[0]).toMatch(/^\[churnguard\] Building the app for the first start/);
    expect(lines).toContain("     Creating an optimized production build ...");
    expect(lines).toContain("  a warning");
    expect(lines).toContain("  without a newline at the end");
    expect(lines.at(-1)).toMatch(/^\[churnguard\] the build failed after \d+ s \(exit code 3\)/);
  });
});
