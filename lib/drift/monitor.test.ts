import { describe, expect, it } from "vitest";
import { BinCounter, binLabels, categoricalBinning, quantileEdges } from "./bins";
import { importanceShares } from "./importance";
import { buildDriftReference, DriftAccumulator, type DriftFeature, type DriftTable } from "./monitor";
import { summarizeDrift } from "./summary";

const table = (columns: string[], rows: string[][]): DriftTable => ({ columns, rows });
const oneColumn = (name: string, values: string[]) =>
  table(
    [name],
    values.map((v) => [v]),
  );

function drift(
  features: DriftFeature[],
  before: DriftTable,
  after: DriftTable,
  shares = new Map(features.map((f) => [f.name, 1 / features.length])),
  options: { binCount?: number; risk?: [number[], number[]]; labels?: [number[], number[]] } = {},
) {
  const reference = buildDriftReference(before, features, {
    binCount: options.binCount,
    risk: options.risk?.[0],
    labels: options.labels?.[0],
  });
  const current = new DriftAccumulator(reference);
  current.add(after, { risk: options.risk?.[1], labels: options.labels?.[1] });
  return summarizeDrift(reference, current, shares);
}

describe("numeric bins at the training quantiles", () => {
  it("cuts 1..10 into five bins of two at the lower quantiles, dropping ties and the maximum", () => {
    expect(quantileEdges([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 5)).toEqual([2, 4, 6, 8]);
    expect(quantileEdges([0, 0, 0, 0, 0, 0, 1, 2, 3, 4], 5)).toEqual([0, 2]);
    expect(quantileEdges([7, 7, 7], 10)).toEqual([]);
    expect(quantileEdges([Number.NaN, 1, 2], 2)).toEqual([1]);
    const binning = { kind: "numeric" as const, edges: [2, 4, 6, 8] };
    expect(binLabels(binning)).toEqual(["≤ 2", "2 – 4", "4 – 6", "6 – 8", "> 8", "Missing"]);
    const counter = new BinCounter(binning);
    for (const cell of ["2", "2.0001", "8", "8.5", "-1e9", "", "n/a", "abc", "4,5"]) counter.addCell(cell);
    expect(counter.counts).toEqual([2, 1, 0, 1, 1, 4]);
    counter.addCell("4,5", true);
    expect(counter.counts[2]).toBe(1);
  });

  it("gives the hand-computed PSI with missing values as a bin of their own", () => {
    // Training: 1..10 and one missing → bins ≤2, 2–4, 4–6, 6–8, >8 hold 2 each, missing 1 (of 11).
    // New: 1, 1 | 3 | 5 | 7 | 9, 9, 9 | three missing ("", "", and "abc" in a numeric column).
    // PSI = 3 × (1/11)·ln 2 + (1/11)·ln 1.5 + (2/11)·ln 3 = 0.1890402 + 0.0368605 + 0.1997477
    const before = oneColumn("tenure", ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", ""]);
    const after = oneColumn("tenure", ["1", "1", "3", "5", "7", "9", "9", "9", "", "", "abc"]);
    const summary = drift([{ name: "tenure", kind: "numeric" }], before, after, undefined, { binCount: 5 });
    expect(summary.columns[0].psi).toBeCloseTo(0.4256484, 6);
    expect(summary.columns[0].level).toBe("significant");
    expect(summary.columns[0].bins.at(-1)).toEqual({ label: "Missing", expected: 1 / 11, actual: 3 / 11 });
  });
});

describe("categorical bins", () => {
  it("counts a category never seen in training as new values, through epsilon", () => {
    // Bins a, b, new, missing: expected 2, 2, 0, 0 → actual 1, 1, 2, 0.
    // PSI = 2 × (−0.25)·ln 0.5 + (0.5 − 0.0001)·ln(0.5 / 0.0001) = 0.3465736 + 4.2577449
    const summary = drift(
      [{ name: "Contract", kind: "categorical" }],
      oneColumn("Contract", ["a", "a", "b", "b"]),
      oneColumn("Contract", ["a", "b", "c", " c "]),
    );
    expect(summary.columns[0].psi).toBeCloseTo(4.6043185, 5);
    expect(summary.columns[0].bins.map((b) => [b.label, b.expected, b.actual])).toEqual([
      ["a", 0.5, 0.25],
      ["b", 0.5, 0.25],
      ["New values", 0, 0.5],
      ["Missing", 0, 0],
    ]);
  });

  it("keeps the most frequent levels and pools rarer training values apart from new ones", () => {
    const binning = categoricalBinning(["x", "y", "y", "z", "z", "z", null], 2);
    expect(binning).toEqual({ kind: "categorical", levels: ["z", "y"], hasOther: true });
    const counter = new BinCounter(binning, new Set(["x", "y", "z"]));
    for (const v of ["z", "x", "w", null]) counter.addLevel(v);
    expect(binLabels(binning)).toEqual(["z", "y", "Other training values", "New values", "Missing"]);
    expect(counter.counts).toEqual([1, 0, 1, 1, 1]);
  });
});

describe("summarizeDrift", () => {
  const features: DriftFeature[] = [
    { name: "__proto__", kind: "categorical" },
    { name: "constructor", kind: "numeric" },
    { name: "noise", kind: "categorical" },
  ];
  const rows = (n: number, make: (i: number) => string[]) => Array.from({ length: n }, (_, i) => make(i));
  const before = table(
    ["__proto__", "constructor", "noise"],
    rows(100, (i) => [i % 2 ? "Month-to-month" : "Two year", String(i), i % 3 ? "p" : "q"]),
  );

  it("is stable for the same data, with the verdict in words", () => {
    const summary = drift(features, before, before);
    expect(summary.level).toBe("stable");
    expect(summary.alertColumns).toEqual([]);
    expect(summary.columns.every((c) => c.psi === 0)).toBe(true);
    expect(summary.verdict).toMatch(/^Stable: /);
  });

  it("weights by importance, sorts by PSI × importance and alerts on an important column past 0.2", () => {
    // __proto__ turns mostly month-to-month (important); noise shifts even more but the model ignores it.
    const after = table(
      ["__proto__", "constructor", "noise"],
      rows(100, (i) => [i % 10 ? "Month-to-month" : "Two year", String(i), "r"]),
    );
    const shares = importanceShares(
      ["__proto__", "constructor", "noise"],
      [
        { column: "__proto__", value: 3 },
        { column: "constructor", value: 1 },
      ],
    );
    const summary = drift(features, before, after, shares);
    // noise and constructor both weigh 0 (no importance / no shift): the larger PSI goes first.
    expect(summary.columns.map((c) => c.column)).toEqual(["__proto__", "noise", "constructor"]);
    const proto = summary.columns[0];
    // 0.5/0.5 → 0.9/0.1: (0.4)·ln 1.8 + (−0.4)·ln 0.2 = 0.2351146 + 0.6437752
    expect(proto.psi).toBeCloseTo(0.8788898, 5);
    expect(proto.importance).toBeCloseTo(0.75, 6);
    expect(proto.weightedPsi).toBeCloseTo(0.8788898 * 0.75, 5);
    const noise = summary.columns[1];
    expect(noise.psi).toBeGreaterThan(proto.psi as number);
    expect(noise.importance).toBe(0);
    expect(noise.isImportant).toBe(false);
    expect(summary.alertColumns).toEqual(["__proto__"]);
    expect(summary.level).toBe("significant");
    expect(summary.verdict).toContain("Significant drift: “__proto__” shifted strongly");
  });

  it("does not alert when only an unimportant column shifts", () => {
    const after = table(
      ["__proto__", "constructor", "noise"],
      before.rows.map((r) => [r[0], r[1], "r"]),
    );
    // Four inputs: noise has 1 % of the importance and is not among the top three.
    const wide: DriftFeature[] = [...features, { name: "extra", kind: "numeric" }];
    const shares4 = new Map([
      ["__proto__", 0.5],
      ["constructor", 0.3],
      ["extra", 0.19],
      ["noise", 0.01],
    ]);
    const summary = drift(wide, before, after, shares4);
    expect(summary.columns.find((c) => c.column === "noise")?.level).toBe("significant");
    expect(summary.alertColumns).toEqual([]);
  });

  it("marks a column the new data lacks, and reports the risk's PSI and the churn-rate change", () => {
    const after = table(
      ["__proto__", "noise"],
      before.rows.map((r) => [r[0], r[2]]),
    );
    const risk: [number[], number[]] = [
      Array.from({ length: 100 }, (_, i) => i / 100),
      Array.from({ length: 100 }, (_, i) => 0.5 + i / 200),
    ];
    const labels: [number[], number[]] = [
      Array.from({ length: 100 }, (_, i) => (i < 20 ? 1 : 0)),
      Array.from({ length: 100 }, (_, i) => (i < 35 ? 1 : i < 90 ? 0 : -1)),
    ];
    const summary = drift(features, before, after, undefined, { risk, labels });
    const absent = summary.columns.find((c) => c.column === "constructor");
    expect(absent?.isAbsent).toBe(true);
    expect(absent?.bins.at(-1)?.actual).toBe(1);
    expect(summary.columns.find((c) => c.column === "noise")?.isAbsent).toBe(false);
    expect(summary.risk?.level).toBe("significant");
    // Risk bands read as percentages: the training deciles of 0, 0.01, …, 0.99.
    expect(summary.risk?.bins.map((b) => b.label).slice(0, 2)).toEqual(["≤ 9 %", "9 % – 19 %"]);
    expect(summary.churn?.baselineRate).toBe(0.2);
    expect(summary.churn?.currentRate).toBeCloseTo(35 / 90, 5);
    expect(summary.churn?.change).toBeCloseTo(35 / 90 - 0.2, 5);
  });
});

describe("importanceShares", () => {
  it("splits an engineered feature's importance among the columns it reads", () => {
    const shares = importanceShares(
      ["tenure", "TotalCharges", "Contract"],
      [
        { column: "Contract", value: 4 },
        { column: "TotalCharges per tenure month", value: 2 },
        { column: "tenure", value: 2 },
      ],
      new Map([["TotalCharges per tenure month", ["TotalCharges", "tenure"]]]),
    );
    expect([...shares]).toEqual([
      ["tenure", 3 / 8],
      ["TotalCharges", 1 / 8],
      ["Contract", 4 / 8],
    ]);
    expect([...importanceShares(["a", "b"], [])]).toEqual([
      ["a", 0.5],
      ["b", 0.5],
    ]);
  });
});
