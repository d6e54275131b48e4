import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createRng } from "../lib/ml/random";
import { skipWithoutSharedFile, TELCO_CSV } from "../lib/testing/shared-data";

/** Runs the CLI exactly as a user would (a child process through tsx). */
function churnguard(...args: string[]) {
  const result = spawnSync("npx", ["tsx", "scripts/churnguard.ts", ...args], {
    cwd: path.resolve(import.meta.dirname, ".."),
    encoding: "utf8",
    timeout: 600_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(path.join(tmpdir(), "churnguard-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small churn table with a real signal: churn is likelier on short tenure and monthly contracts. */
function churnCsv(
  rows: number,
  options: { seed?: number; churn?: (i: number, p: number) => string } = {},
): string {
  const rng = createRng(options.seed ?? 1);
  const lines = ["customer_id,tenure,contract,monthly_charges,churn"];
  for (let i = 0; i < rows; i++) {
    const tenure = rng.int(72);
    const contract = ["Month-to-month", "One year", "Two year"][rng.int(3)];
    const charges = (20 + rng.next() * 100).toFixed(2);
    const p = 1 / (1 + Math.exp(-(1 - tenure / 20 + (contract === "Month-to-month" ? 1 : -1))));
    const churn = options.churn ? options.churn(i, p) : rng.next() < p ? "Yes" : "No";
    lines.push(`C${1000 + i},${tenure},${contract},${charges},${churn}`);
  }
  return `${lines.join("\n")}\n`;
}

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe("churnguard evaluate: errors exit non-zero and name the problem", () => {
  it("a missing file", () => {
    const missing = path.join(dir, "nope.csv");
    const r = churnguard("evaluate", missing);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("nope.csv");
    expect(r.stderr).toMatch(/not found|does not exist|no such file/i);
    expect(r.stdout).toBe("");
  });
  it("a directory instead of a file", () => {
    const r = churnguard("evaluate", dir);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/directory|cannot read/i);
  });
  it("a binary (unreadable) file", () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37) % 256;
    const r = churnguard("evaluate", write("binary.csv", bytes));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/binary|not a text|encoding|utf-?8|csv/i);
  });
  it("no usable target column", () => {
    const csv = churnCsv(120)
      .replace("churn\n", "score\n")
      .replace(/,(Yes|No)$/gm, (_m, v) => `,${v === "Yes" ? 3.5 : 1.25}`);
    const r = churnguard("evaluate", write("no-target.csv", csv));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/target/i);
  });
  it("a --target column that does not exist", () => {
    const r = churnguard("evaluate", write("ok-for-target.csv", churnCsv(120)), "--target", "Exited");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("Exited");
  });
  it("a target with one class only", () => {
    const r = churnguard(
      "evaluate",
      write("one-class.csv", churnCsv(120, { churn: () => "No" })),
      "--target",
      "churn",
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/one (class|value)|only one|single class/i);
    expect(r.stderr).toContain("churn");
  });
  it("fewer than 50 rows", () => {
    const r = churnguard("evaluate", write("tiny.csv", churnCsv(30)));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/50/);
    expect(r.stderr).toMatch(/rows/i);
  });
  it("no usable features (only an identifier and the target)", () => {
    const csv = churnCsv(120)
      .split("\n")
      .map((line) => {
        const cells = line.split(",");
        return cells.length > 1 ? `${cells[0]},${cells[4]}` : line;
      })
      .join("\n");
    const r = churnguard("evaluate", write("no-features.csv", csv));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/feature/i);
  });
  it("bad flags", () => {
    const file = write("flags.csv", churnCsv(120));
    for (const args of [["--folds", "1"], ["--folds", "x"], ["--bogus"]]) {
      const r = churnguard("evaluate", file, ...args);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/--folds|--bogus/);
      expect(r.stderr).toMatch(/usage/i);
    }
  }, 180_000);
});

describe("churnguard evaluate: output", () => {
  it("prints exactly one JSON object with --json", () => {
    const r = churnguard(
      "evaluate",
      write("small.csv", churnCsv(300, { seed: 5 })),
      "--folds",
      "3",
      "--json",
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(["champion", "models", "positiveRate", "rows", "target"]);
    expect(out.rows).toBe(300);
    expect(out.target).toBe("churn");
    expect(out.positiveRate).toBeGreaterThan(0.2);
    expect(out.models.map((m: { algorithm: string }) => m.algorithm).sort()).toEqual([
      "gradient_boosting",
      "logistic_regression",
      "random_forest",
      "svm",
    ]);
    for (const m of out.models) {
      expect(Object.keys(m).sort()).toEqual([
        "algorithm",
        "brier",
        "cvAuc",
        "cvAucStd",
        "f1Churn",
        "f1Weighted",
        "fitSeconds",
      ]);
      expect(m.cvAuc).toBeGreaterThan(0.6);
    }
    const best = Math.max(...out.models.map((m: { cvAuc: number }) => m.cvAuc));
    expect(out.models.find((m: { algorithm: string }) => m.algorithm === out.champion).cvAuc).toBe(best);
  }, 180_000);
  it("prints a leaderboard table without --json", () => {
    const r = churnguard("evaluate", write("table.csv", churnCsv(200, { seed: 6 })), "--folds", "3");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/CV AUC/);
    expect(r.stdout).toMatch(/gradient boosting/);
    expect(r.stdout).toMatch(/F1 churn/);
  }, 180_000);
});

const TELCO = TELCO_CSV;

describe.skipIf(skipWithoutSharedFile(TELCO, "churnguard evaluate on Telco"))(
  "churnguard evaluate on Telco (needs ../shared/data/telco-customer-churn.csv)",
  () => {
    it("reaches the AUC floor with 5-fold CV", () => {
      const r = churnguard("evaluate", TELCO, "--json");
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.rows).toBe(7043);
      expect(out.target).toBe("Churn");
      expect(out.positiveRate).toBeCloseTo(0.2654, 3);
      const auc = Object.fromEntries(
        out.models.map((m: { algorithm: string; cvAuc: number }) => [m.algorithm, m.cvAuc]),
      );
      expect(Math.max(...Object.values(auc as Record<string, number>))).toBeGreaterThanOrEqual(0.845);
      expect(auc.logistic_regression).toBeGreaterThanOrEqual(0.835);
      expect(auc.random_forest).toBeGreaterThanOrEqual(0.835);
      expect(auc.gradient_boosting).toBeGreaterThanOrEqual(0.835);
    }, 600_000);
  },
);
