/**
 * A deliberately tiny yardstick for the sample data set: one-hot encoding, a gradient-descent
 * logistic regression, ROC AUC and a stratified split. It exists so that data/ can measure how
 * learnable the generated churn is without depending on the (evolving) model library in lib/ml.
 */
import { createRng, shuffleInPlace } from "../lib/ml/random";

/** Telco columns used as numbers; every other column except the id and the target is one-hot encoded. */
const NUMERIC = new Set(["tenure", "MonthlyCharges", "TotalCharges"]);
const SKIP = new Set(["customerID", "Churn"]);

export interface Table {
  header: string[];
  rows: string[][];
}

export interface Encoded {
  X: Float64Array[];
  y: Uint8Array;
  features: string[];
}

/** Parses a CSV cell as a number; blank (the IBM file's " " TotalCharges) becomes 0. */
function num(v: string): number {
  const t = v.trim();
  return t === "" ? 0 : Number(t);
}

/**
 * One-hot + standardised numeric features. The vocabulary and the scaling come from `fitRows` only
 * (the training part), so the held-out part never informs the encoding.
 */
export function encode(
  table: Table,
  fitRows: readonly number[],
  target = "Churn",
  positive = "Yes",
): Encoded {
  const { header, rows } = table;
  const ti = header.indexOf(target);
  if (ti < 0) throw new Error(`no ${target} column`);
  const parts: { col: number; kind: "num"; mean: number; sd: number }[] = [];
  const cats: { col: number; value: string }[] = [];
  const features: string[] = [];
  header.forEach((name, col) => {
    if (SKIP.has(name) || col === ti) return;
    if (NUMERIC.has(name)) {
      let s = 0;
      let s2 = 0;
      for (const r of fitRows) {
        const v = num(rows[r][col]);
        s += v;
        s2 += v * v;
      }
      const mean = s / fitRows.length;
      const sd = Math.sqrt(Math.max(s2 / fitRows.length - mean * mean, 1e-12));
      parts.push({ col, kind: "num", mean, sd });
    } else {
      const values = [...new Set(fitRows.map((r) => rows[r][col]))].sort();
      for (const value of values) cats.push({ col, value });
    }
  });
  for (const p of parts) features.push(header[p.col]);
  for (const c of cats) features.push(`${header[c.col]}=${c.value}`);
  const X = rows.map((r) => {
    const x = new Float64Array(features.length);
    let k = 0;
    for (const p of parts) x[k++] = (num(r[p.col]) - p.mean) / p.sd;
    for (const c of cats) x[k++] = r[c.col] === c.value ? 1 : 0;
    return x;
  });
  const y = Uint8Array.from(rows, (r) => (r[ti] === positive ? 1 : 0));
  return { X, y, features };
}

export interface Logit {
  bias: number;
  w: Float64Array;
}

/** Full-batch gradient descent with momentum on the mean log-loss plus a small L2 penalty. */
export function fitLogistic(
  X: readonly Float64Array[],
  y: Uint8Array,
  rows: readonly number[],
  { iterations = 250, rate = 0.5, momentum = 0.9, l2 = 1e-4 } = {},
): Logit {
  const d = X[0].length;
  const w = new Float64Array(d);
  const vw = new Float64Array(d);
  const g = new Float64Array(d);
  let bias = 0;
  let vb = 0;
  const n = rows.length;
  for (let it = 0; it < iterations; it++) {
    g.fill(0);
    let gb = 0;
    for (const r of rows) {
      const x = X[r];
      let z = bias;
      for (let j = 0; j < d; j++) z += w[j] * x[j];
      const err = 1 / (1 + Math.exp(-z)) - y[r];
      gb += err;
      for (let j = 0; j < d; j++) g[j] += err * x[j];
    }
    vb = momentum * vb - (rate * gb) / n;
    bias += vb;
    for (let j = 0; j < d; j++) {
      vw[j] = momentum * vw[j] - rate * (g[j] / n + l2 * w[j]);
      w[j] += vw[j];
    }
  }
  return { bias, w };
}

export function predict(model: Logit, x: Float64Array): number {
  let z = model.bias;
  for (let j = 0; j < x.length; j++) z += model.w[j] * x[j];
  return 1 / (1 + Math.exp(-z));
}

/** ROC AUC (Mann–Whitney, ties count one half). */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let pos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[idx[k]] === 1) {
        rankSumPos += midRank;
        pos++;
      }
    }
    i = j + 1;
  }
  const neg = idx.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Stratified split: `testFraction` of each class goes to the test part. */
export function stratifiedSplit(y: Uint8Array, testFraction: number, seed: number) {
  const rng = createRng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [0, 1]) {
    const members: number[] = [];
    y.forEach((v, i) => {
      if (v === cls) members.push(i);
    });
    shuffleInPlace(members, rng);
    const cut = Math.round(members.length * testFraction);
    test.push(...members.slice(0, cut));
    train.push(...members.slice(cut));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** Mean ROC AUC of the quick logistic regression over stratified k-fold cross-validation. */
export function crossValidatedAuc(table: Table, folds = 5, seed = 42): number {
  const labels = Uint8Array.from(table.rows, (r) => (r[table.header.indexOf("Churn")] === "Yes" ? 1 : 0));
  const rng = createRng(seed);
  const fold = new Int32Array(labels.length);
  for (const cls of [0, 1]) {
    const members: number[] = [];
    labels.forEach((v, i) => {
      if (v === cls) members.push(i);
    });
    shuffleInPlace(members, rng);
    members.forEach((r, k) => {
      fold[r] = k % folds;
    });
  }
  let sum = 0;
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < fold.length; i++) (fold[i] === f ? test : train).push(i);
    const { X, y } = encode(table, train);
    const model = fitLogistic(X, y, train);
    sum += rocAuc(
      test.map((r) => predict(model, X[r])),
      test.map((r) => y[r]),
    );
  }
  return sum / folds;
}

/** Held-out ROC AUC of the quick logistic regression on a stratified 80/20 split. */
export function holdoutAuc(table: Table, seed = 42): { auc: number; trainAuc: number } {
  const labels = Uint8Array.from(table.rows, (r) => (r[table.header.indexOf("Churn")] === "Yes" ? 1 : 0));
  const { train, test } = stratifiedSplit(labels, 0.2, seed);
  const { X, y } = encode(table, train);
  const model = fitLogistic(X, y, train);
  const score = (rows: number[]) =>
    rocAuc(
      rows.map((r) => predict(model, X[r])),
      rows.map((r) => y[r]),
    );
  return { auc: score(test), trainAuc: score(train) };
}
