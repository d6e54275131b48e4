/**
 * Quality floors on the real Telco file with a minimal in-test encoding (one-hot, blanks -> 0,
 * standardised on the training fold), independent of the feature pipeline in lib/ml/features.
 */
import { existsSync, readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { skipWithoutSharedFile, TELCO_CSV as TELCO } from "../../testing/shared-data";
import { takeLabels, takeRows } from "../matrix";
import type { Matrix } from "../types";
import { weightedColumnStats } from "./fit-inputs";
import { LogisticRegression } from "./logistic-regression";
import { stratifiedFoldIds } from "./stratified-folds";
import { Svm } from "./svm";
import { rocAuc } from "./test-factories";

const NUMERIC = new Set(["tenure", "MonthlyCharges", "TotalCharges", "SeniorCitizen"]);

function encodeTelco(): { X: Matrix; y: Uint8Array } {
  const records = parse(readFileSync(TELCO, "utf8"), { columns: true, bom: true }) as Record<
    string,
    string
  >[];
  const columns = Object.keys(records[0]).filter((c) => c !== "customerID" && c !== "Churn");
  const encoders: ((r: Record<string, string>) => number)[] = [];
  for (const c of columns) {
    if (NUMERIC.has(c)) encoders.push((r) => Number(r[c].trim() || 0));
    else
      for (const level of new Set(records.map((r) => r[c]))) encoders.push((r) => (r[c] === level ? 1 : 0));
  }
  const d = encoders.length;
  const data = new Float64Array(records.length * d);
  records.forEach((r, i) => {
    encoders.forEach((encode, j) => {
      data[i * d + j] = encode(r);
    });
  });
  return {
    X: { data, rows: records.length, cols: d },
    y: Uint8Array.from(records, (r) => (r.Churn === "Yes" ? 1 : 0)),
  };
}

function standardise(train: Matrix, test: Matrix): [Matrix, Matrix] {
  const { mean, scale } = weightedColumnStats(train, new Float64Array(train.rows).fill(1));
  const apply = (m: Matrix): Matrix => ({
    ...m,
    data: m.data.map((v, i) => (v - mean[i % m.cols]) / scale[i % m.cols]),
  });
  return [apply(train), apply(test)];
}

describe.skipIf(skipWithoutSharedFile(TELCO, "the Telco quality floors"))(
  `Telco quality floors (needs ${TELCO})`,
  () => {
    const { X, y } = existsSync(TELCO)
      ? encodeTelco()
      : { X: { data: new Float64Array(0), rows: 0, cols: 0 }, y: new Uint8Array(0) };
    const folds = stratifiedFoldIds(y, 5, 42);
    const split = (k: number) => {
      const train: number[] = [];
      const test: number[] = [];
      for (let i = 0; i < y.length; i++) (folds[i] === k ? test : train).push(i);
      const [trainX, testX] = standardise(takeRows(X, train), takeRows(X, test));
      return { trainX, testX, trainY: takeLabels(y, train), testY: takeLabels(y, test) };
    };

    it("logistic regression reaches a 5-fold CV AUC of at least 0.840", () => {
      let total = 0;
      for (let k = 0; k < 5; k++) {
        const { trainX, testX, trainY, testY } = split(k);
        total += rocAuc(new LogisticRegression().fit(trainX, trainY).predictProba(testX), testY);
      }
      expect(total / 5).toBeGreaterThanOrEqual(0.84);
    });

    it("the RBF SVM beats scikit-learn's SVC (0.796) on a held-out fold", () => {
      const { trainX, testX, trainY, testY } = split(0);
      expect(rocAuc(new Svm().fit(trainX, trainY).predictProba(testX), testY)).toBeGreaterThan(0.82);
    });
  },
);
