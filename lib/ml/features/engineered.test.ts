import { describe, expect, it } from "vitest";
import { buildFrame } from "../data/frame";
import { inferSchema } from "../data/schema-inference";
import { makeBankChurnTable } from "../data/test-factories";
import {
  detectEngineeredFeatures,
  type EngineeredFeatureSpec,
  engineeredValue,
  type SourceRow,
} from "./engineered";
import { FeaturePipeline } from "./pipeline";

/** A Telco-shaped table, generated: tenure in months, charges, and yes/no service columns. */
function telcoLike(n = 200): { columns: string[]; rows: string[][] } {
  const rows = Array.from({ length: n }, (_, i) => {
    const tenure = i % 73;
    const internet = ["DSL", "Fiber optic", "No"][i % 3];
    const addon = (k: number) => (internet === "No" ? "No internet service" : (i + k) % 2 ? "Yes" : "No");
    const monthly = 20 + (i % 80);
    return [
      `id-${i}`,
      String(tenure),
      i % 4 ? "Yes" : "No",
      internet,
      addon(0),
      addon(1),
      addon(2),
      i % 2 ? "Yes" : "No",
      String(monthly),
      tenure === 0 ? " " : String(monthly * tenure),
      i % 5 === 0 ? "Yes" : "No",
    ];
  });
  return {
    columns: [
      "customerID",
      "tenure",
      "PhoneService",
      "InternetService",
      "OnlineSecurity",
      "OnlineBackup",
      "StreamingTV",
      "Partner",
      "MonthlyCharges",
      "TotalCharges",
      "Churn",
    ],
    rows,
  };
}

function rowOf(values: Record<string, number | string | null>): SourceRow {
  return {
    number: (c) => (typeof values[c] === "number" ? (values[c] as number) : Number.NaN),
    text: (c) => (values[c] === null || values[c] === undefined ? null : String(values[c])),
  };
}

describe("detectEngineeredFeatures", () => {
  it("switches on tenure bins, charges per month and services count when the columns exist", () => {
    const specs = detectEngineeredFeatures(inferSchema(telcoLike()));
    expect(specs.map((s) => [s.name, s.kind, s.sources])).toEqual([
      ["tenure bin", "categorical", ["tenure"]],
      ["TotalCharges per tenure month", "numeric", ["TotalCharges", "tenure"]],
      [
        "services subscribed",
        "numeric",
        ["PhoneService", "InternetService", "OnlineSecurity", "OnlineBackup", "StreamingTV"],
      ],
    ]);
  });

  it("adds nothing to a table without those columns, or with a tenure in years", () => {
    const bank = inferSchema(makeBankChurnTable(300));
    expect(bank.columns.find((c) => c.name === "Tenure")?.stats.max).toBeLessThanOrEqual(10);
    expect(detectEngineeredFeatures(bank)).toEqual([]);
  });

  it("uses only feature columns (an excluded tenure switches its features off)", () => {
    const specs = detectEngineeredFeatures(inferSchema(telcoLike(), { exclude: ["tenure"] }));
    expect(specs.map((s) => s.name)).toEqual(["services subscribed"]);
  });

  it("never reuses an existing column name", () => {
    const data = telcoLike();
    data.columns.push("tenure bin");
    for (const row of data.rows) row.push("x");
    const specs = detectEngineeredFeatures(inferSchema(data, { exclude: ["tenure bin"] }));
    expect(specs[0].name).toBe("tenure bin 2");
  });
});

describe("engineeredValue", () => {
  const [bins, ratio, services] = detectEngineeredFeatures(
    inferSchema(telcoLike()),
  ) as EngineeredFeatureSpec[];

  it("bins tenure as 0-12, 12-24, 24-48, 48+ (upper bounds inclusive)", () => {
    const at = (t: number | null) => engineeredValue(bins, rowOf({ tenure: t }));
    expect([0, 12, 13, 24, 25, 48, 49, 72].map(at)).toEqual([
      "0-12",
      "0-12",
      "12-24",
      "12-24",
      "24-48",
      "24-48",
      "48+",
      "48+",
    ]);
    expect(at(null)).toBeNull();
  });

  it("divides total charges by max(tenure, 1)", () => {
    expect(engineeredValue(ratio, rowOf({ TotalCharges: 600, tenure: 12 }))).toBe(50);
    expect(engineeredValue(ratio, rowOf({ TotalCharges: 30, tenure: 0 }))).toBe(30);
    expect(engineeredValue(ratio, rowOf({ TotalCharges: null, tenure: 3 }))).toBeNaN();
  });

  it("counts subscribed services ('No internet service' is not one, DSL is)", () => {
    const value = engineeredValue(
      services,
      rowOf({
        PhoneService: "Yes",
        InternetService: "DSL",
        OnlineSecurity: "No",
        OnlineBackup: "Yes",
        StreamingTV: "No internet service",
      }),
    );
    expect(value).toBe(3);
    expect(engineeredValue(services, rowOf({}))).toBeNaN();
  });
});

describe("engineered features in the pipeline", () => {
  const data = telcoLike();
  const schema = inferSchema(data);
  const frame = buildFrame(data, schema);

  it("computes the same values from a frame and from raw records", () => {
    const p = FeaturePipeline.fromSchema(schema).fit(frame);
    const records = data.rows.map((row) => Object.fromEntries(data.columns.map((c, j) => [c, row[j]])));
    expect(Array.from(p.transformRecords(records).matrix.data)).toEqual(Array.from(p.transform(frame).data));
    const names = p.featureNames;
    const X = p.transform(frame, [25]); // tenure 25, monthly 45, total 1125
    expect(X.data[names.indexOf("TotalCharges per tenure month")]).toBe(45);
    expect(X.data[names.indexOf("tenure bin=24-48")]).toBe(1);
  });

  it("is off with engineered: false", () => {
    const p = FeaturePipeline.fromSchema(schema, { engineered: false }).fit(frame);
    expect(p.engineeredFeatures).toEqual([]);
    expect(p.featureNames.some((n) => n.startsWith("tenure bin"))).toBe(false);
  });
});
