/**
 * What `npm start` says while it builds. A first build takes minutes on a small machine and
 * `next build` prints nothing for most of it (its compile step is one long silent line), so a new
 * user could not tell a slow build from a hung one. This says why it builds, about how long it
 * takes (the last build on this machine, else an estimate from the core count), passes Next.js'
 * own lines through, and reports the elapsed time whenever the build has been quiet for a while.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";

const PREFIX = "[churnguard]";
/** How long `next build` may stay silent before we say it is still working. */
export const QUIET_MS = 15_000;

/** "45 s", "2 min 05 s". */
export function formatElapsed(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

/**
 * "about 2–3 minutes on 2 cores" from the machine, or "about 2 minutes (the last build here took
 * 2 min 10 s)" when a previous build's duration is known. Measured: a clean build of this app
 * takes a little over 2 minutes on 2 cores.
 */
export function estimateOf({ cores, lastBuildMs }) {
  if (lastBuildMs && lastBuildMs > 0) {
    const minutes = Math.max(1, Math.round(lastBuildMs / 60_000));
    return `about ${minutes === 1 ? "a minute" : `${minutes} minutes`} (the last build here took ${formatElapsed(lastBuildMs)})`;
  }
  const range = cores <= 2 ? "2–3 minutes" : cores <= 4 ? "1–2 minutes" : "a minute";
  return `about ${range} on ${cores} core${cores === 1 ? "" : "s"}`;
}

/** The first line `npm start` prints before building. */
export function introMessage({ reason, cores, lastBuildMs }) {
  const why =
    reason === "first"
      ? "Building the app for the first start"
      : reason === "forced"
        ? "Rebuilding the app (--rebuild)"
        : "The sources changed since the last build: rebuilding the app";
  return `${PREFIX} ${why} (${estimateOf({ cores, lastBuildMs })}). Next.js prints its steps below; the server starts when it is done.`;
}

/** A line of `next build` output worth naming as the current step, in words. */
export function stepOf(line) {
  const text = stripVTControlCharacters(line).trim();
  if (/Creating an optimized production build/i.test(text)) return "compiling the app";
  if (/Compiled successfully|Finished TypeScript|Skipping validation/i.test(text)) return "compiled";
  if (/Collecting page data/i.test(text)) return "collecting page data";
  if (/Generating static pages/i.test(text)) return "generating static pages";
  if (/Finalizing page optimization|Collecting build traces/i.test(text)) return "finishing";
  return null;
}

/**
 * Turns build events into console lines. `now` is injected so that tests need no real clock; the
 * caller feeds output lines, calls tick() on a timer, and finish() with the exit status.
 */
export function createBuildReporter({ log, now, reason, cores, lastBuildMs }) {
  let startedAt = 0;
  let lastOutputAt = 0;
  let step = "starting Next.js";
  return {
    start() {
      startedAt = now();
      lastOutputAt = startedAt;
      log(introMessage({ reason, cores, lastBuildMs }));
    },
    line(text) {
      lastOutputAt = now();
      step = stepOf(text) ?? step;
      if (text.trim()) log(`  ${text}`);
    },
    tick() {
      const t = now();
      if (t - lastOutputAt < QUIET_MS) return;
      lastOutputAt = t;
      log(`${PREFIX} still building (${step}): ${formatElapsed(t - startedAt)} so far…`);
    },
    /** Returns the build's duration in ms. */
    finish(status) {
      const elapsed = now() - startedAt;
      log(
        status === 0
          ? `${PREFIX} built in ${formatElapsed(elapsed)}.`
          : `${PREFIX} the build failed after ${formatElapsed(elapsed)} (exit code ${status}); see the messages above.`,
      );
      return elapsed;
    },
  };
}

/** The previous build's duration on this machine, kept next to the build. */
export function readLastBuildMs(file) {
  try {
    const value = Number(JSON.parse(readFileSync(file, "utf8")).buildMs);
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

export function writeLastBuildMs(file, buildMs) {
  writeFileSync(file, JSON.stringify({ buildMs }));
}

/**
 * Runs `command args` (next build), reporting as above; resolves with its exit status.
 * Output is read line by line from pipes, so Next.js' lines still appear as they come.
 */
export function runBuild({ command, args, cwd, env, reporter, tickMs = 5_000 }) {
  reporter.start();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const timer = setInterval(() => reporter.tick(), tickMs);
    for (const stream of [child.stdout, child.stderr]) {
      let pending = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk) => {
        pending += chunk;
        const lines = pending.split(/\r?\n/);
        pending = lines.pop() ?? "";
        for (const line of lines) reporter.line(line);
      });
      stream.on("end", () => {
        if (pending) reporter.line(pending);
        pending = "";
      });
    }
    child.on("error", (error) => {
      clearInterval(timer);
      reporter.line(String(error.message));
      resolve({ status: 1, buildMs: reporter.finish(1) });
    });
    child.on("close", (code) => {
      clearInterval(timer);
      const status = code ?? 1;
      resolve({ status, buildMs: reporter.finish(status) });
    });
  });
}

export function buildReason({ hasBuild, isForced }) {
  if (isForced) return "forced";
  return hasBuild ? "changed" : "first";
}
