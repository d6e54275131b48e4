/**
 * `npx tsx scripts/bench/shap-patterns.ts [--rows 100000]`: would memoising each tree's SHAP values
 * by the row's decision pattern (which way it goes at every split) pay for batch scoring? Trains the
 * default random forest on the sample (data/telco-sample.csv) and counts, per tree, the distinct
 * patterns among generated rows (the batch benchmark's data). Answer on 100,000 rows: ~32,000 per
 * tree (BENCHMARKS.md, "Batch scoring"), too few repeats, so the idea was dropped.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateTelcoLikeRows, toCsv } from "../../data/generate-sample";
import { trainChurnModel } from "../../lib/ml/churn-model";
import { buildTrainingSet, inferSchema, parseCsv } from "../../lib/ml/data";
import type { RawRecord } from "../../lib/ml/features";
import { isMissingValue } from "../../lib/ml/trees/binning";
import { RandomForestClassifier } from "../../lib/ml/trees/random-forest";

const { values } = parseArgs({ options: { rows: { type: "string", default: "100000" } } });
const rows = Number(values.rows);

const sample = parseCsv(readFileSync(path.resolve(import.meta.dirname, "../../data/telco-sample.csv")));
const schema = inferSchema(sample);
const { frame, labels } = buildTrainingSet(sample, schema);
const model = trainChurnModel({ schema, frame, labels, algorithm: "random_forest", threshold: 0.5 });
if (!(model.classifier instanceof RandomForestClassifier)) throw new Error("expected a random forest");

const generated = parseCsv(new TextEncoder().encode(toCsv(generateTelcoLikeRows(rows, 2_024))));
const records: RawRecord[] = generated.rows.map((row) =>
  Object.fromEntries(generated.columns.map((column, i) => [column, row[i]])),
);
const { matrix } = model.pipeline.transformRecords(records);

const distinct: number[] = [];
for (const tree of model.classifier.trees) {
  const splits: number[] = [];
  for (let node = 0; node < tree.nodeCount; node++) if (tree.feature[node] >= 0) splits.push(node);
  const patterns = new Set<string>();
  for (let r = 0; r < matrix.rows; r++) {
    let pattern = "";
    for (const node of splits) {
      const x = matrix.data[r * matrix.cols + tree.feature[node]];
      const left = isMissingValue(x) ? tree.defaultLeft[node] === 1 : x <= tree.threshold[node];
      pattern += left ? "1" : "0";
    }
    patterns.add(pattern);
  }
  distinct.push(patterns.size);
}
const mean = distinct.reduce((a, b) => a + b, 0) / distinct.length;
console.log(
  `${distinct.length} trees, ${rows.toLocaleString("en")} rows: ${Math.round(mean).toLocaleString("en")} distinct decision patterns per tree on average (min ${Math.min(...distinct).toLocaleString("en")}, max ${Math.max(...distinct).toLocaleString("en")}); a per-tree memo would hit at most ${(100 * (1 - mean / rows)).toFixed(0)} % of the time`,
);
