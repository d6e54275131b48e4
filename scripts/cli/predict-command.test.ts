import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trainChurnModel } from "../../lib/ml/churn-model";
import { buildTrainingSet, inferSchema } from "../../lib/ml/data";
import { syntheticChurnTable } from "../../lib/ml/evaluate/synthetic-churn-table";
import { Predictor } from "../../server/services/predictions/predictor";
import { parseArgs, UsageError } from "./args";

function churnguard(...args: string[]) {
  const result = spawnSync("npx", ["tsx", "scripts/churnguard.ts", ...args], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(path.join(tmpdir(), "churnguard-predict-"));
const table = syntheticChurnTable(300, 4);
const customers = table.rows
  .slice(0, 5)
  .map((row) => Object.fromEntries(table.columns.map((c, j) => [c, row[j]])));
let modelFile: string;
let predictor: Predictor;

beforeAll(() => {
  const schema = inferSchema(table);
  const { frame, labels } = buildTrainingSet(table, schema);
  const model = trainChurnModel({
    schema,
    frame,
    labels,
    algorithm: "gradient_boosting",
    algorithmOptions: { gradient_boosting: { nEstimators: 30 } },
    folds: 3,
    importanceRows: 50,
  });
  modelFile = path.join(dir, "model.json");
  writeFileSync(modelFile, JSON.stringify(model.toJSON()));
  predictor = Predictor.fromModel(model);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("churnguard predict", () => {
  it("scores a JSON array with the same numbers as the app's predictor, ids and target ignored", () => {
    const input = path.join(dir, "customers.json");
    writeFileSync(input, JSON.stringify(customers));
    const r = churnguard("predict", modelFile, "--input", input, "--json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const expected = predictor.predict(customers);
    expect(out.predictions).toHaveLength(5);
    out.predictions.forEach(
      (p: { risk_score: number; risk_level: string; top_drivers: unknown[] }, i: number) => {
        expect(p.risk_score).toBe(expected[i].riskScore);
        expect(p.risk_level).toBe(expected[i].riskLevel);
        expect(p.top_drivers).toHaveLength(3);
      },
    );
    expect(out.predictions[0].warnings.map((w: { field: string }) => w.field).sort()).toEqual([
      "churn",
      "customer_id",
    ]);
    expect(out.model).toMatchObject({ algorithm: "gradient_boosting", target: "churn" });
  });

  it("scores a CSV and prints a table", () => {
    const input = path.join(dir, "customers.csv");
    writeFileSync(
      input,
      `${table.columns.join(",")}\n${table.rows
        .slice(0, 3)
        .map((r) => r.join(","))
        .join("\n")}\n`,
    );
    const r = churnguard("predict", modelFile, "--input", input, "--bands", "0.2,0.5");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^\s+1\s+\d+\.\d %\s+(low|medium|high)/);
  });

  it("names the field and the customer when the input is wrong, and exits non-zero", () => {
    const input = path.join(dir, "bad.json");
    writeFileSync(input, JSON.stringify([customers[0], { ...customers[1], contract: "Forever" }]));
    const r = churnguard("predict", modelFile, "--input", input);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/customer 2: .*contract/);
    const lenient = churnguard("predict", modelFile, "--input", input, "--lenient", "--json");
    expect(lenient.status).toBe(0);
    expect(JSON.parse(lenient.stdout).predictions[1].warnings).toContainEqual(
      expect.objectContaining({ field: "contract", code: "unseen_category" }),
    );
    const notModel = churnguard("predict", input, "--input", input);
    expect(notModel.status).toBe(1);
    expect(notModel.stderr).toMatch(/not a ChurnGuard model/);
  });

  it("refuses bad arguments with a usage error", () => {
    expect(() => parseArgs(["predict", "m.json"])).toThrow(/Missing --input/);
    expect(() => parseArgs(["predict", "--input", "c.json"])).toThrow(/Missing the model file/);
    expect(() => parseArgs(["predict", "m.json", "--input", "c.json", "--bands", "0.7,0.6"])).toThrow(
      UsageError,
    );
    expect(parseArgs(["predict", "m.json", "--input=c.csv", "--bands", "0.25,0.5", "--lenient"])).toEqual({
      command: "predict",
      model: "m.json",
      input: "c.csv",
      bands: { medium: 0.25, high: 0.5 },
      strict: false,
      json: false,
    });
  });
});
