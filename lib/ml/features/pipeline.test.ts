import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { skipWithoutSharedFile, TELCO_CSV as TELCO } from "../../testing/shared-data";
import { parseCsv } from "../data/csv";
import { buildFrame, buildTrainingSet } from "../data/frame";
import { inferSchema, type TabularData } from "../data/schema-inference";
import { makeSignalTable } from "../data/test-factories";
import { FeaturePipeline, type RawRecord } from "./pipeline";

/** 40 training rows (0..39) and 10 validation rows (40..49) with values training never saw. */
function splitTable(): TabularData {
  const rows: string[][] = [];
  for (let i = 0; i < 50; i++) {
    const validation = i >= 40;
    rows.push([
      `c${i}`,
      validation ? "1000" : i % 5 === 0 ? "" : String(i), // amount: missing in training
      validation ? "99" : String(i % 7), // visits: never missing in training
      validation ? "enterprise" : ["basic", "pro", "basic", "plus"][i % 4], // plan
      i % 3 === 0 ? "Yes" : "No", // paperless
      i % 8 === 0 ? "" : i % 2 ? "F" : "M", // gender: missing -> most frequent
      i % 4 === 0 ? "Yes" : "No", // churn
    ]);
  }
  return { columns: ["id", "amount", "visits", "plan", "paperless", "gender", "churn"], rows };
}

const table = splitTable();
const schema = inferSchema(table, { include: ["plan"], exclude: [] });
const frame = buildFrame(table, schema);
const trainRows = Array.from({ length: 40 }, (_, i) => i);
const validationRows = Array.from({ length: 10 }, (_, i) => 40 + i);

function fitted(options = {}) {
  return FeaturePipeline.fromSchema(schema, { engineered: false, ...options }).fit(frame, trainRows);
}

function col(matrix: { data: Float64Array; cols: number; rows: number }, c: number): number[] {
  return Array.from({ length: matrix.rows }, (_, r) => matrix.data[r * matrix.cols + c]);
}

describe("encoding", () => {
  const pipeline = fitted();
  const names = pipeline.featureNames;

  it("names every encoded feature", () => {
    expect(names).toEqual([
      "amount",
      "amount (missing)",
      "visits",
      "plan=basic",
      "plan=plus",
      "plan=pro",
      "paperless=Yes",
      "gender=M",
    ]);
  });

  it("imputes numeric columns with the training median and flags the missing ones", () => {
    const X = pipeline.transform(frame, trainRows);
    const present = trainRows.filter((i) => i % 5 !== 0).sort((a, b) => a - b);
    const median = (present[present.length / 2 - 1] + present[present.length / 2]) / 2;
    expect(col(X, 0)[0]).toBe(median);
    expect(col(X, 1)[0]).toBe(1);
    expect(col(X, 0)[1]).toBe(1);
    expect(col(X, 1)[1]).toBe(0);
  });

  it("adds no missing indicator for a column complete in training", () => {
    expect(names).not.toContain("visits (missing)");
  });

  it("imputes categories with the most frequent training value", () => {
    const X = pipeline.transformDetailed(frame, trainRows);
    // gender: 20 F (odd rows), 15 M (even, non-multiples of 8), 5 missing (row 0 among them) -> F.
    expect(col(X.matrix, names.indexOf("gender=M")).slice(0, 3)).toEqual([0, 0, 1]);
    expect(X.imputed).toEqual(
      new Map([
        ["amount", 8],
        ["gender", 5],
      ]),
    );
  });

  it("one-hot encodes many values and uses one 0/1 column for two values (yes side for booleans)", () => {
    const X = pipeline.transform(frame, [0, 1, 3]);
    expect([0, 1, 2].map((r) => [3, 4, 5].map((c) => X.data[r * X.cols + c]))).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    expect(col(X, names.indexOf("paperless=Yes"))).toEqual([1, 0, 1]);
  });

  it("learns nothing from validation rows: their values are unseen, their numbers outside the range", () => {
    const detailed = pipeline.transformDetailed(frame, validationRows);
    expect(detailed.unseen).toEqual(new Map([["plan", 10]]));
    for (const r of Array.from({ length: 10 }, (_, i) => i)) {
      expect([3, 4, 5].map((c) => detailed.matrix.data[r * detailed.matrix.cols + c])).toEqual([0, 0, 0]);
    }
    const inputs = pipeline.describeInputs();
    expect(inputs.find((i) => i.name === "visits")).toMatchObject({ min: 0, max: 6, isInteger: true });
    expect(inputs.find((i) => i.name === "plan")?.categories).toEqual(["basic", "plus", "pro"]);
    // Fitting on all rows would have seen them: the difference proves the rows argument is honoured.
    const leaky = FeaturePipeline.fromSchema(schema, { engineered: false }).fit(frame);
    expect(leaky.featureNames).toContain("plan=enterprise");
  });

  it("maps every encoded feature back to its column, and groups the 0/1 columns", () => {
    expect(pipeline.featureSourceNames).toEqual([
      "amount",
      "amount",
      "visits",
      "plan",
      "plan",
      "plan",
      "paperless",
      "gender",
    ]);
    expect(pipeline.featureSources).toEqual([0, 0, 1, 2, 2, 2, 3, 4]);
    expect(pipeline.categoricalGroups).toEqual([
      { name: "amount (missing)", columns: [1] },
      { name: "plan", columns: [3, 4, 5] },
      { name: "paperless", columns: [6] },
      { name: "gender", columns: [7] },
    ]);
    expect(pipeline.numericFeatures).toEqual([0, 2]);
  });

  it("describes the original columns for the what-if form", () => {
    expect(pipeline.describeInputs()).toEqual([
      {
        name: "amount",
        type: "numeric",
        kind: "numeric",
        min: 1,
        max: 39,
        median: 20,
        isInteger: true,
        defaultValue: 20,
      },
      {
        name: "visits",
        type: "numeric",
        kind: "numeric",
        min: 0,
        max: 6,
        median: 3,
        isInteger: true,
        defaultValue: 3,
      },
      {
        name: "plan",
        type: "categorical",
        kind: "categorical",
        categories: ["basic", "plus", "pro"],
        defaultValue: "basic",
      },
      {
        name: "paperless",
        type: "boolean",
        kind: "categorical",
        categories: ["No", "Yes"],
        defaultValue: "No",
      },
      { name: "gender", type: "categorical", kind: "categorical", categories: ["F", "M"], defaultValue: "F" },
    ]);
  });

  it("groups rare values into (other) past maxCategories", () => {
    const p = fitted({ maxCategories: 2 });
    expect(p.featureNames.filter((n) => n.startsWith("plan="))).toEqual([
      "plan=basic",
      "plan=plus",
      "plan=(other)",
    ]);
    const X = p.transform(frame, [1]);
    expect(X.data[p.featureNames.indexOf("plan=(other)")]).toBe(1);
  });
});

describe("standardisation", () => {
  it("scales numeric value columns to mean 0 and sd 1 on training rows, and leaves 0/1 columns alone", () => {
    const p = fitted({ standardize: true });
    const X = p.transform(frame, trainRows);
    for (const c of p.numericFeatures) {
      const values = col(X, c);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
      expect(mean).toBeCloseTo(0, 12);
      expect(sd).toBeCloseTo(1, 12);
    }
    for (const group of p.categoricalGroups) {
      for (const c of group.columns) expect(new Set(col(X, c))).toEqual(new Set([0, 1]));
    }
  });
});

describe("raw records (REST API)", () => {
  const pipeline = fitted({ standardize: true });

  it("encodes CSV-like records exactly like the frame", () => {
    const records: RawRecord[] = table.rows.map((row) =>
      Object.fromEntries(table.columns.map((c, j) => [c, row[j]])),
    );
    const fromRecords = pipeline.transformRecords(records).matrix;
    const fromFrame = pipeline.transform(frame);
    expect(Array.from(fromRecords.data)).toEqual(Array.from(fromFrame.data));
  });

  it("accepts typed values and loosely matched names", () => {
    const typed = pipeline.transformRecords([
      { AMOUNT: 12, visits: "3", Plan: "PRO", paperless: true, gender: "m" },
    ]);
    const text = pipeline.transformRecords([
      { amount: "12", visits: "3", plan: "pro", paperless: "Yes", gender: "M" },
    ]);
    expect(Array.from(typed.matrix.data)).toEqual(Array.from(text.matrix.data));
    expect(typed.warnings).toEqual([]);
  });

  it("imputes missing fields and says so; never throws on an unseen category", () => {
    const result = pipeline.transformRecords([{ amount: "lots", plan: "enterprise", gender: null }]);
    expect(result.warnings.map((w) => [w.column, w.kind])).toEqual([
      ["amount", "unreadable"],
      ["visits", "missing"],
      ["paperless", "missing"],
      ["gender", "missing"],
      ["plan", "unseen_category"],
    ]);
    expect(result.warnings[0].message).toBe(
      '"amount" = "lots" is not a number; the training median was used.',
    );
    const X = result.matrix;
    const names = pipeline.featureNames;
    expect(X.data[names.indexOf("amount (missing)")]).toBe(1);
    expect(["plan=basic", "plan=plus", "plan=pro"].map((n) => X.data[names.indexOf(n)])).toEqual([0, 0, 0]);
  });

  it("quotes at most 100 characters of a value in its warnings", () => {
    const huge = "y".repeat(1_000_000);
    const result = pipeline.transformRecords([{ amount: huge, plan: huge }]);
    for (const w of result.warnings) expect(w.message.length).toBeLessThan(200);
    expect(result.warnings[0].message).toBe(
      `"amount" = "${"y".repeat(100)}…" is not a number; the training median was used.`,
    );
  });
});

describe("serialisation", () => {
  it("gives identical output after a JSON string round trip", () => {
    for (const options of [{}, { standardize: true }, { engineered: true, maxCategories: 2 }]) {
      const pipeline = FeaturePipeline.fromSchema(schema, { engineered: false, ...options }).fit(
        frame,
        trainRows,
      );
      const restored = FeaturePipeline.fromJSON(JSON.stringify(pipeline));
      expect(restored.featureNames).toEqual(pipeline.featureNames);
      expect(restored.featureSources).toEqual(pipeline.featureSources);
      expect(restored.categoricalGroups).toEqual(pipeline.categoricalGroups);
      expect(restored.describeInputs()).toEqual(pipeline.describeInputs());
      expect(restored.transform(frame)).toEqual(pipeline.transform(frame));
      const record = { amount: "", visits: "2", plan: "plus", paperless: "No", gender: "F" };
      expect(restored.transformRecords([record])).toEqual(pipeline.transformRecords([record]));
      expect(JSON.stringify(restored)).toBe(JSON.stringify(pipeline));
    }
  });

  it("rejects another format version and refuses to transform before fit", () => {
    const json = fitted().toJSON();
    expect(() => FeaturePipeline.fromJSON({ ...json, formatVersion: 2 })).toThrow();
    expect(() => FeaturePipeline.fromSchema(schema).transform(frame)).toThrow(/not fitted/);
  });
});

describe("a data set with a known signal", () => {
  it("produces finite features whose signal column separates the classes", () => {
    const data = makeSignalTable(2000);
    const s = inferSchema(data);
    const set = buildTrainingSet(data, s);
    const p = FeaturePipeline.fromSchema(s, { standardize: true }).fit(set.frame);
    const X = p.transform(set.frame);
    expect(X.data.every(Number.isFinite)).toBe(true);
    const signal = col(X, p.featureNames.indexOf("signal"));
    const meanOf = (label: number) => {
      const v = signal.filter((_, i) => set.labels[i] === label);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    expect(meanOf(1) - meanOf(0)).toBeGreaterThan(0.5);
  });
});

describe.skipIf(skipWithoutSharedFile(TELCO, "the Telco pipeline tests"))(
  `Telco pipeline (${TELCO}; skipped when absent)`,
  () => {
    it("encodes 7,043 rows with engineered features and maps every feature to a column", () => {
      const data = parseCsv(readFileSync(TELCO));
      const s = inferSchema(data);
      const set = buildTrainingSet(data, s);
      const p = FeaturePipeline.fromSchema(s).fit(set.frame);
      const X = p.transform(set.frame);
      expect(X.rows).toBe(7043);
      expect(X.data.every(Number.isFinite)).toBe(true);
      expect(p.featureNames).toContain("Contract=Month-to-month");
      expect(p.featureNames).toContain("TotalCharges (missing)");
      expect(p.sourceNames.slice(-3)).toEqual([
        "tenure bin",
        "TotalCharges per tenure month",
        "services subscribed",
      ]);
      expect(p.sourceColumns.get("TotalCharges per tenure month")).toEqual(["TotalCharges", "tenure"]);
      expect(new Set(p.featureSourceNames)).toEqual(new Set(p.sourceNames));
      const missing = col(X, p.featureNames.indexOf("TotalCharges (missing)"));
      expect(missing.reduce((a, b) => a + b, 0)).toBe(11);
    });
  },
);
