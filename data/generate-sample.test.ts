import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { skipWithoutSharedFile } from "../lib/testing/shared-data";
import { churnBy, churnRate, column, REAL_TELCO, readTable, SAMPLE } from "./compare";
import { generateTelcoLikeRows, MODEL, parseCliArgs, TELCO_COLUMNS, toCsv } from "./generate-sample";
import { crossValidatedAuc, rocAuc, type Table } from "./quick-logit";

const NON_CATEGORICAL = new Set(["customerID", "tenure", "MonthlyCharges", "TotalCharges"]);
const ADD_ONS = [
  "OnlineSecurity",
  "OnlineBackup",
  "DeviceProtection",
  "TechSupport",
  "StreamingTV",
  "StreamingMovies",
] as const;

function asTable(rows: string[][]): Table {
  return { header: rows[0], rows: rows.slice(1) };
}

const sample = asTable(generateTelcoLikeRows(7043, 42));
const get = (name: string) => column(sample, name);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("generateTelcoLikeRows", () => {
  it("emits the 21 IBM Telco columns, in order, then one row per customer", () => {
    const rows = generateTelcoLikeRows(10, 1);
    expect(rows[0]).toEqual([...TELCO_COLUMNS]);
    expect(rows).toHaveLength(11);
    for (const r of rows) expect(r).toHaveLength(21);
    expect(generateTelcoLikeRows(0, 1)).toEqual([[...TELCO_COLUMNS]]);
    expect(() => generateTelcoLikeRows(-1, 1)).toThrow(RangeError);
  });

  it("is deterministic for a seed and differs between seeds", () => {
    expect(generateTelcoLikeRows(500, 7)).toEqual(generateTelcoLikeRows(500, 7));
    expect(generateTelcoLikeRows(500, 8)).not.toEqual(generateTelcoLikeRows(500, 7));
    // A longer run starts with the shorter one: the n-th customer depends only on the seed.
    expect(generateTelcoLikeRows(800, 7).slice(0, 501)).toEqual(generateTelcoLikeRows(500, 7));
  });

  it("gives unique ids shaped like 7590-VHVEG", () => {
    const ids = get("customerID");
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^\d{4}-[A-Z]{5}$/);
  });

  it("has a churn rate of about 26 % (24–29 %) on 7,043 rows", () => {
    const rate = churnRate(sample);
    expect(rate).toBeGreaterThan(0.24);
    expect(rate).toBeLessThan(0.29);
  });

  it("leaves TotalCharges blank exactly for tenure-0 customers, who never churn", () => {
    const tenure = get("tenure");
    const total = get("TotalCharges");
    const churn = get("Churn");
    expect(tenure.filter((t) => t === "0").length).toBeGreaterThan(0);
    tenure.forEach((t, i) => {
      expect(total[i].trim() === "", `row ${i}: tenure ${t}, TotalCharges "${total[i]}"`).toBe(t === "0");
      if (t === "0") {
        expect(total[i]).toBe(" "); // the IBM file's blank is a single space
        expect(churn[i]).toBe("No");
      }
    });
  });

  it("keeps the service columns consistent with phone and internet service", () => {
    const internet = get("InternetService");
    const phone = get("PhoneService");
    const lines = get("MultipleLines");
    const addOns = ADD_ONS.map((s) => get(s));
    const problems: string[] = [];
    internet.forEach((net, i) => {
      addOns.forEach((values, k) => {
        const ok =
          net === "No" ? values[i] === "No internet service" : values[i] === "Yes" || values[i] === "No";
        if (!ok) problems.push(`row ${i}: InternetService ${net}, ${ADD_ONS[k]} ${values[i]}`);
      });
      if (net !== "DSL" && phone[i] !== "Yes") problems.push(`row ${i}: ${net} without phone service`);
      if ((lines[i] === "No phone service") !== (phone[i] === "No")) {
        problems.push(`row ${i}: PhoneService ${phone[i]}, MultipleLines ${lines[i]}`);
      }
    });
    expect(problems).toEqual([]);
  });

  it("prices the bill from the price list plus noise and accumulates it over the tenure", () => {
    const p = MODEL.prices;
    const monthly = get("MonthlyCharges").map(Number);
    const tenure = get("tenure").map(Number);
    const total = get("TotalCharges");
    expect(Math.min(...monthly)).toBeGreaterThanOrEqual(18);
    expect(Math.max(...monthly)).toBeLessThanOrEqual(119);
    const problems: string[] = [];
    sample.rows.forEach((r, i) => {
      const at = (name: string) => r[sample.header.indexOf(name)];
      const net = at("InternetService") as "DSL" | "Fiber optic" | "No";
      const list =
        (at("PhoneService") === "Yes" ? p.phone : 0) +
        (at("MultipleLines") === "Yes" ? p.multipleLines : 0) +
        p[net] +
        p.protectionAddOn * ADD_ONS.slice(0, 4).filter((s) => at(s) === "Yes").length +
        p.streamingAddOn * ADD_ONS.slice(4).filter((s) => at(s) === "Yes").length;
      if (Math.abs(monthly[i] - list) > MODEL.monthlyNoise.internetClip + 0.05) {
        problems.push(`row ${i}: bill ${monthly[i]} vs list price ${list}`);
      }
      if (Math.abs(Math.round(monthly[i] * 20) - monthly[i] * 20) > 1e-6) {
        problems.push(`row ${i}: bill ${monthly[i]} is not a multiple of 0.05`);
      }
      if (tenure[i] === 1 && Number(total[i]) !== monthly[i]) {
        problems.push(`row ${i}: tenure 1 but TotalCharges ${total[i]} ≠ ${monthly[i]}`);
      }
      if (tenure[i] > 1) {
        const ratio = Number(total[i]) / (tenure[i] * monthly[i]);
        if (!(ratio > 0.69 && ratio < 1.36))
          problems.push(`row ${i}: TotalCharges / (tenure × monthly) = ${ratio}`);
      }
    });
    expect(problems).toEqual([]);
    expect(tenure.every((t) => Number.isInteger(t) && t >= 0 && t <= 72)).toBe(true);
  });

  it("encodes the real data's relationships", () => {
    const byContract = churnBy(sample, "Contract");
    expect(byContract.get("Month-to-month")!).toBeGreaterThan(byContract.get("One year")!);
    expect(byContract.get("One year")!).toBeGreaterThan(byContract.get("Two year")!);
    expect(byContract.get("Month-to-month")!).toBeGreaterThan(0.35);
    expect(byContract.get("Two year")!).toBeLessThan(0.06);

    const byInternet = churnBy(sample, "InternetService");
    expect(byInternet.get("Fiber optic")!).toBeGreaterThan(byInternet.get("DSL")!);
    expect(byInternet.get("DSL")!).toBeGreaterThan(byInternet.get("No")!);

    const byPayment = churnBy(sample, "PaymentMethod");
    for (const other of ["Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"]) {
      expect(byPayment.get("Electronic check")!).toBeGreaterThan(byPayment.get(other)! + 0.15);
    }
    for (const col of ["TechSupport", "OnlineSecurity"]) {
      const by = churnBy(sample, col);
      expect(by.get("No")!, col).toBeGreaterThan(by.get("Yes")! + 0.15);
    }
    expect(churnBy(sample, "SeniorCitizen").get("1")!).toBeGreaterThan(
      churnBy(sample, "SeniorCitizen").get("0")!,
    );
    expect(churnBy(sample, "PaperlessBilling").get("Yes")!).toBeGreaterThan(
      churnBy(sample, "PaperlessBilling").get("No")!,
    );

    const tenure = get("tenure").map(Number);
    const churn = get("Churn");
    const rateWhere = (keep: (t: number) => boolean) => {
      const idx = tenure.map((t, i) => (keep(t) ? i : -1)).filter((i) => i >= 0);
      return idx.filter((i) => churn[i] === "Yes").length / idx.length;
    };
    expect(rateWhere((t) => t >= 1 && t <= 6)).toBeGreaterThan(0.4);
    expect(rateWhere((t) => t > 48)).toBeLessThan(0.15);

    // Tenure depends on the contract; the bill on the internet type.
    const contract = get("Contract");
    const meanTenure = (c: string) => mean(tenure.filter((_, i) => contract[i] === c));
    expect(meanTenure("Two year")).toBeGreaterThan(meanTenure("One year"));
    expect(meanTenure("One year")).toBeGreaterThan(meanTenure("Month-to-month") + 15);
    const internet = get("InternetService");
    const monthly = get("MonthlyCharges").map(Number);
    const meanBill = (v: string) => mean(monthly.filter((_, i) => internet[i] === v));
    expect(meanBill("Fiber optic")).toBeGreaterThan(meanBill("DSL") + 20);
    expect(meanBill("DSL")).toBeGreaterThan(meanBill("No") + 20);

    // Add-ons grow with tenure.
    const security = get("OnlineSecurity");
    const shareYes = (keep: (t: number) => boolean) => {
      const idx = tenure.map((t, i) => (keep(t) && internet[i] !== "No" ? i : -1)).filter((i) => i >= 0);
      return idx.filter((i) => security[i] === "Yes").length / idx.length;
    };
    expect(shareYes((t) => t > 48)).toBeGreaterThan(shareYes((t) => t <= 12) + 0.2);
  });

  it("is learnable but not trivially separable: quick logistic regression ROC AUC 0.80–0.86", () => {
    const auc = crossValidatedAuc(sample, 5, 42);
    expect(auc).toBeGreaterThan(0.8);
    expect(auc).toBeLessThan(0.86);
  });

  it("generates 100,000 rows quickly, with unique ids", () => {
    const started = performance.now();
    const rows = generateTelcoLikeRows(100_000, 42);
    const ms = performance.now() - started;
    expect(rows).toHaveLength(100_001);
    expect(new Set(rows.map((r) => r[0])).size).toBe(100_001);
    // Typically well under a second; the bound only catches gross regressions on a busy CI box.
    expect(ms).toBeLessThan(10_000);
  });
});

describe("data/telco-sample.csv", () => {
  it("is exactly the generator's output for 7,043 rows and seed 42, with LF line endings", () => {
    const text = readFileSync(SAMPLE, "utf8");
    expect(text.includes("\r")).toBe(false);
    expect(text).toBe(toCsv(generateTelcoLikeRows(7043, 42)));
    const parsed = readTable(SAMPLE);
    expect(parsed.header).toEqual([...TELCO_COLUMNS]);
    expect(parsed.rows).toHaveLength(7043);
  });
});

describe("the command line", () => {
  it("parses --rows, --seed and --out, and rejects bad values", () => {
    const defaults = parseCliArgs([]);
    expect(defaults).toMatchObject({ rows: 7043, seed: 42 });
    expect(defaults !== "help" && defaults.out).toBe(SAMPLE);
    expect(parseCliArgs(["--rows", "10", "--seed", "3", "--out", "x.csv"])).toEqual({
      rows: 10,
      seed: 3,
      out: path.resolve("x.csv"),
    });
    expect(parseCliArgs(["--help"])).toBe("help");
    expect(() => parseCliArgs(["--rows"])).toThrow(/--rows needs a value/);
    expect(() => parseCliArgs(["--rows", "-5"])).toThrow(/whole number/);
    expect(() => parseCliArgs(["--seed", "1e3"])).toThrow(/whole number/);
    expect(() => parseCliArgs(["--bogus", "1"])).toThrow(/unknown option --bogus/);
  });

  it("writes the requested file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "telco-sample-"));
    try {
      const out = path.join(dir, "s.csv");
      const root = path.resolve(import.meta.dirname, "..");
      execFileSync(
        process.execPath,
        ["--import", "tsx", "data/generate-sample.ts", "--rows", "25", "--seed", "5", "--out", out],
        { cwd: root, stdio: "pipe" },
      );
      expect(readFileSync(out, "utf8")).toBe(toCsv(generateTelcoLikeRows(25, 5)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("rocAuc (quick-logit helper)", () => {
  it("matches hand-computed values, ties counting one half", () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(rocAuc([1, 2, 3], [0, 0, 1])).toBe(1);
  });
});

const HAVE_REAL = existsSync(REAL_TELCO);

describe.skipIf(skipWithoutSharedFile(REAL_TELCO, "the comparisons with the real IBM file"))(
  "compared with the real IBM file (../shared/data/telco-customer-churn.csv; skipped when it is absent)",
  () => {
    const real = HAVE_REAL ? readTable(REAL_TELCO) : { header: [], rows: [] };

    it("has the same header", () => {
      expect(sample.header).toEqual(real.header);
      expect(readTable(SAMPLE).header).toEqual(real.header);
    });

    it("uses only values that occur in the real file for every categorical column", () => {
      for (const name of real.header) {
        if (NON_CATEGORICAL.has(name)) continue;
        const vocabulary = new Set(column(real, name));
        const extra = [...new Set(column(sample, name))].filter((v) => !vocabulary.has(v));
        expect(extra, `${name}: values not in the real file`).toEqual([]);
      }
    });

    it("stays within the real file's numeric ranges and blank convention", () => {
      const range = (t: Table, name: string) => {
        const xs = column(t, name)
          .filter((v) => v.trim() !== "")
          .map(Number);
        return [Math.min(...xs), Math.max(...xs)];
      };
      const [tLo, tHi] = range(real, "tenure");
      const [sLo, sHi] = range(sample, "tenure");
      expect(sLo).toBeGreaterThanOrEqual(tLo);
      expect(sHi).toBeLessThanOrEqual(tHi);
      const [mLo, mHi] = range(sample, "MonthlyCharges");
      const [rLo, rHi] = range(real, "MonthlyCharges");
      expect(mLo).toBeGreaterThanOrEqual(rLo - 1);
      expect(mHi).toBeLessThanOrEqual(rHi + 1);
      const blanks = (t: Table) => new Set(column(t, "TotalCharges").filter((v) => v.trim() === ""));
      expect(blanks(sample)).toEqual(blanks(real));
    });

    it("has a churn rate and contract churn rates close to the real ones", () => {
      expect(Math.abs(churnRate(sample) - churnRate(real))).toBeLessThan(0.02);
      const s = churnBy(sample, "Contract");
      const r = churnBy(real, "Contract");
      for (const c of ["Month-to-month", "One year", "Two year"]) {
        expect(Math.abs(s.get(c)! - r.get(c)!), c).toBeLessThan(0.04);
      }
    });
  },
);
