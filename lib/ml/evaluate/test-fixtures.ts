import { createRng } from "../random";
import type { Classifier, Explanation, FitOptions, Labels, Matrix, SerializedClassifier } from "../types";
import type { BalanceStage, FeatureStage } from "./stages";

/**
 * Test doubles for evaluation tests: a data set whose encoded column 0 is the row id (so any
 * stage can be asked which rows it saw) and column 1 a noisy signal of the label.
 */
export interface SyntheticRows {
  readonly ids: Float64Array;
  readonly signal: Float64Array;
}

export function syntheticRows(n: number, seed: number): { data: SyntheticRows; y: Labels } {
  const rng = createRng(seed);
  const y = new Uint8Array(n);
  const ids = new Float64Array(n);
  const signal = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.next() < 0.3 ? 1 : 0;
    ids[i] = i;
    signal[i] = y[i] + rng.normal();
  }
  return { data: { ids, signal }, y };
}

export class SpyFeatures implements FeatureStage<SyntheticRows> {
  readonly fittedOn: Uint32Array[] = [];
  fit(_data: SyntheticRows, rows: Uint32Array) {
    this.fittedOn.push(rows.slice());
    // A "scaler" learned from the training rows: the validation rows must not move it.
    let mean = 0;
    for (const r of rows) mean += _data.signal[r];
    mean /= rows.length;
    return {
      categoricalGroups: [],
      transform: (data: SyntheticRows, which: Uint32Array): Matrix => {
        const out = new Float64Array(which.length * 2);
        which.forEach((r, i) => {
          out[i * 2] = data.ids[r];
          out[i * 2 + 1] = data.signal[r] - mean;
        });
        return { data: out, rows: which.length, cols: 2 };
      },
    };
  }
}

/** Oversamples churners by duplicating them (a stand-in for SMOTE) and records the ids it saw. */
export class SpyBalance implements BalanceStage {
  readonly name = "spy";
  readonly sawIds: number[][] = [];
  apply(X: Matrix, y: Labels) {
    const ids: number[] = [];
    for (let r = 0; r < X.rows; r++) ids.push(X.data[r * X.cols]);
    this.sawIds.push(ids);
    const extra: number[] = [];
    for (let r = 0; r < X.rows; r++) if (y[r] === 1) extra.push(r);
    const rows = X.rows + extra.length;
    const data = new Float64Array(rows * X.cols);
    data.set(X.data);
    const labels = new Uint8Array(rows);
    labels.set(y);
    extra.forEach((r, i) => {
      data.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), (X.rows + i) * X.cols);
      labels[X.rows + i] = 1;
    });
    return { X: { data, rows, cols: X.cols }, y: labels };
  }
}

/** Scores rows by the signal column; records the ids it was fitted on. */
export class SpyClassifier implements Classifier {
  readonly algorithm = "logistic_regression" as const;
  static readonly fittedIds: number[][] = [];
  private scale = 1;
  fit(X: Matrix, y: Labels, _options?: FitOptions): this {
    const ids: number[] = [];
    let sumPositive = 0;
    let positives = 0;
    for (let r = 0; r < X.rows; r++) {
      ids.push(X.data[r * X.cols]);
      if (y[r] === 1) {
        sumPositive += X.data[r * X.cols + 1];
        positives++;
      }
    }
    SpyClassifier.fittedIds.push(ids);
    this.scale = positives ? Math.max(0.1, sumPositive / positives) : 1;
    return this;
  }
  predictProba(X: Matrix): Float64Array {
    const out = new Float64Array(X.rows);
    for (let r = 0; r < X.rows; r++) out[r] = 1 / (1 + Math.exp(-this.scale * X.data[r * X.cols + 1]));
    return out;
  }
  explain(X: Matrix): Explanation {
    return {
      space: "margin",
      baseValue: 0,
      values: new Float64Array(X.rows * X.cols),
      rows: X.rows,
      cols: X.cols,
    };
  }
  toJSON(): SerializedClassifier {
    return { algorithm: this.algorithm, formatVersion: 1, params: {}, state: { scale: this.scale } };
  }
}
