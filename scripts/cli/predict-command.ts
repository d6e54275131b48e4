/**
 * `churnguard predict <model.json> --input <customers.json|.csv>`: scores customers with a model
 * artifact downloaded from the app (model detail → Download model), through the same Predictor as
 * the web pages and the REST API, so the same customer gets the same number everywhere.
 */

import { ChurnModel } from "../../lib/ml/churn-model";
import { parseCsv } from "../../lib/ml/data";
import { PredictionInputError } from "../../server/services/predictions/errors";
import { Predictor } from "../../server/services/predictions/predictor";
import type { RiskBands } from "../../server/services/scoring/risk";
import type { PredictArgs } from "./args";
import { InputError, readInputFile } from "./evaluate-command";

export interface PredictOutput {
  model: { algorithm: string; threshold: number; target: string; trainedAt: string | null };
  predictions: {
    risk_score: number;
    risk_level: string;
    predicted_churn: boolean;
    top_drivers: { column: string; value: string | number | boolean | null; points: number }[];
    warnings: { field: string; code: string; message: string }[];
  }[];
}

export function loadModelFile(file: string): ChurnModel {
  const bytes = readInputFile(file);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new InputError(`${file} is not a model file: it is not JSON`);
  }
  try {
    return ChurnModel.fromJSON(json);
  } catch (error) {
    throw new InputError(`${file} is not a ChurnGuard model: ${(error as Error).message}`);
  }
}

/** Customers from a JSON object, a JSON array of objects, or a CSV with a header. */
export function readCustomers(file: string): unknown[] {
  const bytes = readInputFile(file);
  if (/\.json$/i.test(file)) {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString("utf8"));
    } catch (error) {
      throw new InputError(`${file}: not valid JSON (${(error as Error).message})`);
    }
    const list = Array.isArray(json) ? json : [json];
    if (list.length === 0) throw new InputError(`${file}: no customers in the file`);
    return list;
  }
  const csv = parseCsv(bytes);
  if (csv.rows.length === 0) throw new InputError(`${file}: no customers in the file (header only)`);
  return csv.rows.map((row) => Object.fromEntries(csv.columns.map((c, i) => [c, row[i]])));
}

export function runPredict(args: PredictArgs): { output: PredictOutput; text: string } {
  const model = loadModelFile(args.model);
  const records = readCustomers(args.input);
  const bands: RiskBands | undefined = args.bands;
  // Known non-input columns (ids, the target) are ignored with a warning, so a CSV export works as is.
  const predictor = Predictor.fromModel(model, {}, bands);
  let results: ReturnType<Predictor["predict"]>;
  try {
    results = predictor.predict(records, { strict: args.strict });
  } catch (error) {
    if (error instanceof PredictionInputError) {
      throw new InputError(
        `${args.input}: ${error.issues
          .slice(0, 10)
          .map((i) => `customer ${i.index + 1}: ${i.message}`)
          .join("; ")}`,
      );
    }
    throw error;
  }
  const output: PredictOutput = {
    model: {
      algorithm: model.algorithm,
      threshold: model.threshold,
      target: model.metadata.target,
      trainedAt: model.metadata.trainedAt,
    },
    predictions: results.map((r) => ({
      risk_score: r.riskScore,
      risk_level: r.riskLevel,
      predicted_churn: r.isPredictedChurn,
      top_drivers: r.contributions
        .slice(0, 3)
        .map((c) => ({ column: c.column, value: c.value, points: c.probability * 100 })),
      warnings: r.warnings,
    })),
  };
  const lines = output.predictions.map((p, i) => {
    const drivers = p.top_drivers
      .map(
        (d) => `${d.column}=${d.value ?? "(missing)"} ${d.points >= 0 ? "+" : ""}${d.points.toFixed(1)} pts`,
      )
      .join("; ");
    return `${String(i + 1).padStart(4)}  ${(p.risk_score * 100).toFixed(1).padStart(5)} %  ${p.risk_level.padEnd(6)}  ${drivers}`;
  });
  const text = [
    `   #   risk    level   top drivers (${model.algorithm}, target ${model.metadata.target})`,
    ...lines,
  ].join("\n");
  return { output, text };
}
