#!/usr/bin/env node
/** Prints one closing line over vitest's and Playwright's JSON reports: "N passed, N failed, N skipped". */
import { readFileSync } from "node:fs";

const [vitestFile, playwrightFile] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

const vitest = JSON.parse(readFileSync(vitestFile, "utf8"));
passed += vitest.numPassedTests;
failed += vitest.numFailedTests;
skipped += vitest.numPendingTests + vitest.numTodoTests;

const playwright = JSON.parse(readFileSync(playwrightFile, "utf8"));
passed += playwright.stats.expected + (playwright.stats.flaky ?? 0);
failed += playwright.stats.unexpected;
skipped += playwright.stats.skipped;

console.log(
  `\nvitest: ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed; playwright: ${playwright.stats.expected} passed, ${playwright.stats.unexpected} failed`,
);
console.log(`total: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
