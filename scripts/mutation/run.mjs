#!/usr/bin/env node
/**
 * The mutation check: does the test suite notice a real fault? Each fault in the lists
 * (scripts/mutation/*.json) is one edit of one file, `find` → `replace`, planted in a temporary
 * copy of the working tree (node_modules linked, not copied), and the fault's own test files are
 * run against it. A fault the tests do not fail on "survived": the code it breaks is not really
 * tested, and the check exits 1.
 *
 *   node scripts/mutation/run.mjs                       every list in scripts/mutation/
 *   node scripts/mutation/run.mjs faults-roles.json     one list (names or paths)
 *   node scripts/mutation/run.mjs --only roles-audit-actions-to-viewer,roles-discard-to-viewer
 *   node scripts/mutation/run.mjs --postgres            also on PostgreSQL (DATABASE_URL)
 *   node scripts/mutation/run.mjs --list                print the faults and stop
 *
 * A fault list is JSON: [{ "id", "file", "find", "replace", "tests": ["path/x.test.ts", …],
 * "why"? }]. `find` must occur exactly once in `file`, so a list that no longer matches the code
 * fails loudly instead of testing nothing. A fault whose tests cannot even load (a typo in
 * `replace`) is reported as broken, not as killed.
 *
 * Runs on PGlite only unless --postgres: the faults are in role guards and queries that behave the
 * same on both engines, and the second engine would double the time. Tests run in file order
 * (no shuffle) and stop at the first failure (--bail=1): the question is only whether one fails.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";

const REPOSITORY = path.resolve(import.meta.dirname, "..", "..");
const FAULTS_DIR = path.join(REPOSITORY, "scripts", "mutation");
const TIMEOUT_MS = Number(process.env.MUTATION_TIMEOUT_SECONDS ?? 600) * 1000;

function parseArgs(argv) {
  const options = { lists: [], only: null, postgres: false, list: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--only") options.only = new Set(argv[++i].split(","));
    else if (arg.startsWith("--only=")) options.only = new Set(arg.slice(7).split(","));
    else if (arg === "--postgres") options.postgres = true;
    else if (arg === "--list") options.list = true;
    else if (arg === "--keep") options.keep = true;
    else if (arg.startsWith("--")) throw new Error(`Unknown option ${arg}`);
    else options.lists.push(arg);
  }
  return options;
}

function fail(message) {
  console.error(`mutation check: ${message}`);
  process.exit(2);
}

/** Fault lists: the named ones, or every *.json in scripts/mutation/. */
function loadFaults(lists) {
  const files = (
    lists.length > 0
      ? lists.map((name) => (existsSync(name) ? path.resolve(name) : path.join(FAULTS_DIR, name)))
      : readdirSync(FAULTS_DIR)
          .filter((name) => name.endsWith(".json"))
          .sort()
          .map((name) => path.join(FAULTS_DIR, name))
  ).filter((file, i, all) => all.indexOf(file) === i);
  const faults = [];
  const ids = new Set();
  for (const file of files) {
    let entries;
    try {
      entries = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      fail(`${file} is not readable JSON: ${error.message}`);
    }
    if (!Array.isArray(entries)) fail(`${file} must hold a JSON array of faults`);
    for (const [index, fault] of entries.entries()) {
      const where = `${path.relative(REPOSITORY, file)} #${index + 1}`;
      for (const key of ["id", "file", "find", "replace"])
        if (typeof fault?.[key] !== "string" || (key !== "replace" && fault[key] === ""))
          fail(`${where}: "${key}" must be a${key === "replace" ? "" : " non-empty"} string`);
      if (
        !Array.isArray(fault.tests) ||
        fault.tests.length === 0 ||
        fault.tests.some((t) => typeof t !== "string")
      )
        fail(`${where} (${fault.id}): "tests" must list at least one test file`);
      if (fault.find === fault.replace) fail(`${where} (${fault.id}): "replace" equals "find"`);
      if (ids.has(fault.id)) fail(`${where}: the id ${fault.id} is used twice`);
      ids.add(fault.id);
      faults.push({ ...fault, list: path.relative(REPOSITORY, file) });
    }
  }
  return faults;
}

function occurrences(text, find) {
  let count = 0;
  for (let at = text.indexOf(find); at !== -1; at = text.indexOf(find, at + find.length)) count++;
  return count;
}

/** The working tree as git sees it (tracked and new files, nothing ignored) in a temporary folder. */
function copyWorkingTree() {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPOSITORY,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (listed.status !== 0) fail(`git ls-files failed: ${listed.stderr}`);
  const copy = mkdtempSync(path.join(os.tmpdir(), "churnguard-mutation-"));
  for (const file of listed.stdout.split("\0")) {
    if (!file || !existsSync(path.join(REPOSITORY, file))) continue; // deleted but still tracked
    mkdirSync(path.join(copy, path.dirname(file)), { recursive: true });
    copyFileSync(path.join(REPOSITORY, file), path.join(copy, file));
  }
  symlinkSync(path.join(REPOSITORY, "node_modules"), path.join(copy, "node_modules"), "dir");
  return copy;
}

function sharedDataDir() {
  // Same rule as lib/testing/shared-data.ts, resolved from the real repository, not the copy.
  return process.env.CHURNGUARD_SHARED_DATA || path.resolve(REPOSITORY, "..", "shared", "data");
}

/** Runs vitest on `tests` in the copy; resolves with what happened, from vitest's JSON report. */
function runTests(copy, tests, options, label) {
  const report = path.join(copy, ".mutation-report.json");
  rmSync(report, { force: true });
  const env = { ...process.env, CHURNGUARD_SHARED_DATA: sharedDataDir() };
  if (!options.postgres) delete env.DATABASE_URL;
  const args = [
    "vitest",
    "run",
    ...tests,
    "--bail=1",
    "--sequence.shuffle=false",
    "--reporter=json",
    `--outputFile=${report}`,
  ];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(path.join(copy, "node_modules", ".bin", "vitest"), args.slice(1), {
      cwd: copy,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    const keep = (chunk) => {
      output = (output + chunk).slice(-20_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      let parsed = null;
      try {
        parsed = JSON.parse(readFileSync(report, "utf8"));
      } catch {
        // no report: vitest did not get that far
      }
      const failedTests = [];
      const brokenFiles = [];
      for (const file of parsed?.testResults ?? []) {
        const failures = (file.assertionResults ?? []).filter((t) => t.status === "failed");
        for (const t of failures) failedTests.push(t.fullName ?? t.title);
        if (file.status === "failed" && failures.length === 0)
          brokenFiles.push(`${path.relative(copy, file.name)}: ${(file.message ?? "").split("\n")[0]}`);
      }
      resolve({ label, code, timedOut, seconds, failedTests, brokenFiles, output });
    });
  });
}

function verdict(run) {
  if (run.timedOut) return "killed";
  if (run.failedTests.length > 0) return "killed";
  if (run.code === 0) return "survived";
  return "broken";
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  let faults = loadFaults(options.lists);
  if (options.only) {
    const unknown = [...options.only].filter((id) => !faults.some((f) => f.id === id));
    if (unknown.length) fail(`no fault with id ${unknown.join(", ")}`);
    faults = faults.filter((f) => options.only.has(f.id));
  }
  if (options.list) {
    for (const f of faults) console.log(`${f.id}\t${f.file}\t${f.tests.join(" ")}`);
    return 0;
  }
  if (faults.length === 0) fail("no faults to plant");

  for (const fault of faults) {
    const source = path.join(REPOSITORY, fault.file);
    if (!existsSync(source))
      fail(`${fault.id}: ${fault.file} does not exist (stale fault list ${fault.list})`);
    const found = occurrences(readFileSync(source, "utf8"), fault.find);
    if (found !== 1)
      fail(
        `${fault.id}: "find" occurs ${found} times in ${fault.file}, expected exactly once ` +
          `(stale fault list ${fault.list}: update it with the code)`,
      );
    for (const test of fault.tests)
      if (!existsSync(path.join(REPOSITORY, test))) fail(`${fault.id}: test file ${test} does not exist`);
  }

  const copy = copyWorkingTree();
  const cleanup = () => {
    if (!options.keep) rmSync(copy, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  console.log(
    `Mutation check: ${faults.length} faults, ${options.postgres ? "PGlite and PostgreSQL" : "PGlite only"}; copy in ${copy}`,
  );

  try {
    // The tests must pass on the unchanged code, or every fault would look killed.
    const allTests = [...new Set(faults.flatMap((f) => f.tests))].sort();
    const baseline = await runTests(copy, allTests, options, "baseline");
    if (baseline.code !== 0) {
      console.error(baseline.output.slice(-4000));
      fail(
        `the listed tests fail on the unchanged code (${baseline.failedTests.concat(baseline.brokenFiles).join("; ")})`,
      );
    }
    console.log(`  baseline  ${allTests.length} test files pass (${baseline.seconds.toFixed(0)} s)`);

    const results = [];
    for (const fault of faults) {
      const target = path.join(copy, fault.file);
      const original = readFileSync(target, "utf8");
      writeFileSync(
        target,
        original.replace(fault.find, () => fault.replace),
      );
      let run;
      try {
        run = await runTests(copy, fault.tests, options, fault.id);
      } finally {
        writeFileSync(target, original);
      }
      const status = verdict(run);
      results.push({ fault, status, run });
      const detail =
        status === "killed"
          ? run.timedOut
            ? "timed out"
            : `by ${run.failedTests[0]}`
          : status === "broken"
            ? (run.brokenFiles[0] ?? `vitest exited ${run.code}`)
            : `${fault.tests.join(", ")} all pass`;
      console.log(`  ${status.padEnd(8)}  ${fault.id} (${run.seconds.toFixed(0)} s) ${detail}`);
      if (status === "broken") console.log(run.output.slice(-2000));
    }

    const count = (status) => results.filter((r) => r.status === status).length;
    console.log(
      `\nMutation check: ${results.length} faults, ${count("killed")} killed, ${count("survived")} survived, ${count("broken")} broken`,
    );
    for (const { fault, status } of results.filter((r) => r.status !== "killed")) {
      console.log(
        `  ${status}: ${fault.id} — ${fault.file}${fault.why ? ` — ${fault.why}` : ""} (${fault.list})`,
      );
    }
    return count("killed") === results.length ? 0 : 1;
  } finally {
    cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
