/**
 * Whether a table has enough customers for the columns it asks a model to learn from. A
 * 60-customer file with 10,000 columns was accepted and kept a training run busy for over 15
 * minutes, to learn nothing: with more columns than customers any model can separate the training
 * rows perfectly (it memorises them), and its predictions for new customers are noise. Two
 * limits, both on the schema alone so the preview can recheck them as columns are excluded:
 *
 * - at least MIN_CUSTOMERS_PER_COLUMN labelled customers per feature column;
 * - at most MAX_MODEL_INPUTS model inputs, counting a categorical column as the one-hot columns the
 *   feature pipeline makes of it (one per value, at most 50 plus "(other)"): the training matrix,
 *   the logistic regression's Newton step (inputs² memory, inputs³ time) and the explanations
 *   grow with it.
 */
import type { ColumnSchema, DatasetProblem, DatasetSchema } from "./dataset-schema";

export const MIN_CUSTOMERS_PER_COLUMN = 2;
/**
 * Measured on the 2-core test machine: logistic regression's Newton fit on 2,000 one-hot inputs
 * (3,000 customers) runs for minutes; at 5,000 its cross-validation alone passes the 15-minute step
 * budget (TRAINING_STEP_MAX_MINUTES).
 */
export const MAX_MODEL_INPUTS = 2_000;
/** The feature pipeline's default maxCategories (50) plus the shared "(other)" column. */
const MAX_INPUTS_PER_CATEGORICAL = 51;

const fmt = (n: number) => n.toLocaleString("en-US");

/** Encoded model inputs of one feature column (an estimate from its profile; exact for numbers). */
export function modelInputsOf(column: ColumnSchema): number {
  if (column.type === "numeric" || column.type === "date") return column.stats.missing > 0 ? 2 : 1;
  const values = column.stats.distinct;
  if (values <= 2) return 1;
  return Math.min(values, MAX_INPUTS_PER_CATEGORICAL);
}

/** Customers with a known target (all rows when there is no target yet), scaled to the whole file. */
function labelledCustomers(schema: DatasetSchema): number {
  const counts = schema.classCounts;
  if (!counts) return schema.rowCount;
  const profiled = counts.positive + counts.negative + counts.missing;
  const labelled = counts.positive + counts.negative;
  // A large upload is profiled on a sample; rowCount is the whole file's.
  return profiled > 0 && schema.rowCount > profiled
    ? Math.round((labelled * schema.rowCount) / profiled)
    : labelled;
}

/** The TOO_MANY_FEATURES problem of a schema, or null when its customers can carry its columns. */
export function capacityProblem(schema: DatasetSchema): DatasetProblem | null {
  const features = schema.columns.filter((c) => c.role === "feature");
  if (features.length === 0) return null;
  const customers = labelledCustomers(schema);
  const most = Math.floor(customers / MIN_CUSTOMERS_PER_COLUMN);
  if (features.length > most) {
    const who = schema.target ? `customers with a known "${schema.target}"` : "customers";
    return {
      code: "TOO_MANY_FEATURES",
      message:
        `${fmt(features.length)} columns to learn from, but only ${fmt(customers)} ${who}: a model needs at least ` +
        `${MIN_CUSTOMERS_PER_COLUMN} customers per column, or it memorises them instead of learning what predicts churn. ` +
        `Keep at most ${fmt(most)} columns (exclude the others in the preview), or upload at least ` +
        `${fmt(features.length * MIN_CUSTOMERS_PER_COLUMN)} customers.`,
    };
  }
  const inputs = features.reduce((sum, c) => sum + modelInputsOf(c), 0);
  if (inputs > MAX_MODEL_INPUTS) {
    const widest = [...features]
      .sort((a, b) => modelInputsOf(b) - modelInputsOf(a))
      .slice(0, 3)
      .filter((c) => modelInputsOf(c) > 2)
      .map((c) => `"${c.name.slice(0, 60)}" (${fmt(c.stats.distinct)} values)`);
    return {
      code: "TOO_MANY_FEATURES",
      message:
        `The ${fmt(features.length)} columns to learn from make ${fmt(inputs)} model inputs (each value of a text ` +
        `column is one input); at most ${fmt(MAX_MODEL_INPUTS)} can be trained on. Exclude columns with many ` +
        `different values${widest.length ? `, such as ${widest.join(", ")}` : ""}, or columns that do not describe customers.`,
    };
  }
  return null;
}
