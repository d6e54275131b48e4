/**
 * Scoring one customer or a batch with a dataset's champion: the shared core of the what-if page,
 * the REST API, customer detail and batch scoring, so the same customer gets the same number
 * wherever it is scored. Explanations fold one-hot parts and engineered features back into the
 * original columns ("split"), in probability points and log-odds; base + sum = the risk score.
 */
import { fieldOf } from "@/lib/column-record";
import type { ChurnModel, RawRecord } from "@/lib/ml";
import type { InputDescription } from "@/lib/ml/features";
import type { ModelAlgorithm } from "@/lib/ml/types";
import { quoteValue } from "@/lib/quote-value";
import type { LoadedChampion } from "../models/champion";
import { DEFAULT_RISK_BANDS, type RiskBands, type RiskLevel, riskLevelOf } from "../scoring/risk";
import { PredictionInputError, type PredictionIssue } from "./errors";
import { checkCustomerRecords } from "./input";

export interface PredictionModelInfo {
  modelId: number;
  datasetId: number;
  datasetVersionId: number;
  /** Per-dataset model version ("model v7"). */
  version: number;
  algorithm: ModelAlgorithm;
  /** Decision threshold chosen in training (max churn-class F1 on out-of-fold predictions). */
  threshold: number;
}

export type PredictionWarningCode = "missing" | "unreadable" | "unseen_category" | "ignored";

export interface PredictionWarning {
  field: string;
  code: PredictionWarningCode;
  message: string;
}

export interface ColumnContribution {
  column: string;
  /** The customer's value as scored (null when missing and imputed). */
  value: string | number | boolean | null;
  /** Change in P(churn), 0..1 scale (0.18 = +18 points); positive raises the risk. */
  probability: number;
  logOdds: number;
}

export interface CustomerPrediction {
  riskScore: number;
  riskLevel: RiskLevel;
  /** riskScore >= the model's threshold. */
  isPredictedChurn: boolean;
  /** The model's average output: the start of the waterfall. */
  base: { probability: number; logOdds: number };
  /** Every input column, largest |probability| first. */
  contributions: ColumnContribution[];
  warnings: PredictionWarning[];
}

export interface PredictOptions {
  /**
   * Refuse values the pipeline cannot read and unseen categories (400 in the API) instead of
   * imputing them with a warning. Unknown fields and wrong JSON types are always refused.
   * Default true.
   */
  strict?: boolean;
}

export class Predictor {
  readonly model: PredictionModelInfo;
  readonly inputs: readonly InputDescription[];
  readonly bands: RiskBands;
  private readonly champion: LoadedChampion;

  constructor(champion: LoadedChampion, bands: RiskBands) {
    this.champion = champion;
    this.bands = bands;
    this.inputs = champion.model.pipeline.describeInputs();
    this.model = {
      modelId: champion.modelId,
      datasetId: champion.datasetId,
      datasetVersionId: champion.datasetVersionId,
      version: champion.version,
      algorithm: champion.algorithm,
      threshold: champion.threshold,
    };
  }

  /**
   * A predictor for a model outside the registry (the CLI scoring an exported artifact, a batch
   * pinned to the model it started with). Ids default to 0 when unknown.
   */
  static fromModel(
    model: ChurnModel,
    info: Partial<Omit<PredictionModelInfo, "algorithm" | "threshold">> = {},
    bands: RiskBands = DEFAULT_RISK_BANDS,
  ): Predictor {
    return new Predictor(
      {
        modelId: info.modelId ?? 0,
        datasetId: info.datasetId ?? 0,
        datasetVersionId: info.datasetVersionId ?? 0,
        version: info.version ?? 0,
        algorithm: model.algorithm,
        threshold: model.threshold,
        artifactSha256: "",
        model,
      },
      bands,
    );
  }

  /** The target column the model predicts. */
  get targetColumn(): string {
    return this.champion.model.metadata.target;
  }

  /** Scores and explains customers; throws PredictionInputError naming every bad field. */
  predict(records: readonly unknown[], options: PredictOptions = {}): CustomerPrediction[] {
    const strict = options.strict ?? true;
    const checked = checkCustomerRecords(this.champion.model.schema, this.inputs, records);
    const issues: PredictionIssue[] = [...checked.issues];
    const explained = this.champion.model.explain(checked.records, { engineered: "split" });
    const results = explained.map((e, index): CustomerPrediction => {
      const record = checked.records[index];
      const warnings: PredictionWarning[] = [];
      for (const w of e.warnings) {
        if (strict && w.kind !== "missing") {
          issues.push({
            index,
            field: w.column,
            code: w.kind === "unseen_category" ? "unknown_category" : "wrong_type",
            // The pipeline's own message says what it would do (impute); a refusal says what to send.
            message: this.refusal(w.column, w.kind, fieldOf(record, w.column)),
          });
        } else warnings.push({ field: w.column, code: w.kind, message: w.message });
      }
      for (const ignored of checked.ignored) {
        if (ignored.index === index)
          warnings.push({
            field: ignored.field,
            code: "ignored",
            message: `"${ignored.field}" is not used by the model and was ignored`,
          });
      }
      const imputed = new Set(e.warnings.map((w) => w.column));
      const contributions = e.columns
        .map((c) => ({
          column: c.name,
          value: imputed.has(c.name) ? null : (fieldOf(record, c.name) ?? null),
          probability: c.probability,
          logOdds: c.logOdds,
        }))
        .sort(
          (a, b) => Math.abs(b.probability) - Math.abs(a.probability) || a.column.localeCompare(b.column),
        );
      return {
        riskScore: e.riskScore,
        riskLevel: riskLevelOf(e.riskScore, this.bands),
        isPredictedChurn: e.isPredictedChurn,
        base: { probability: e.base.probability, logOdds: e.base.logOdds },
        contributions,
        warnings,
      };
    });
    if (issues.length) throw new PredictionInputError(issues.sort((a, b) => a.index - b.index).slice(0, 50));
    return results;
  }

  /** Why a value is refused in strict mode, and what would be accepted. */
  private refusal(field: string, kind: "unreadable" | "unseen_category", value: unknown): string {
    const input = this.inputs.find((i) => i.name === field);
    if (kind === "unseen_category") {
      const categories = input?.categories ?? [];
      const shown = categories.slice(0, 20).map((c) => quoteValue(c));
      const more = categories.length > shown.length ? ` and ${categories.length - shown.length} more` : "";
      return `Field "${field}" has the value ${quoteValue(value)}, which the model never saw in training; send one of ${shown.join(", ")}${more}`;
    }
    const expected = input?.type === "date" ? "a date (such as 2024-03-31)" : "a number (such as 12 or 12.5)";
    return `Field "${field}" must be ${expected}, got ${quoteValue(value)}`;
  }

  /**
   * P(churn) only, no explanation and no checks: for searches over many variants of an already
   * checked record (next-best action). Records must hold model inputs only.
   */
  score(records: readonly RawRecord[]): number[] {
    return this.champion.model.predict(records).map((p) => p.riskScore);
  }
}
