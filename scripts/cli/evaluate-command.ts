import { readFileSync, statSync } from "node:fs";
import { buildTrainingSet, parseCsv, profileDataset } from "../../lib/ml/data";
import { RECOMMENDED_ALGORITHM_OPTIONS } from "../../lib/ml/evaluate/algorithms";
import { compareAlgorithms } from "../../lib/ml/evaluate/compare-algorithms";
import type { Algorithm } from "../../lib/ml/types";
import type { EvaluateArgs } from "./args";
import { algorithmLabel, formatLeaderboard, type LeaderboardRow } from "./leaderboard";

/** A problem with the input the user can fix; printed without a stack trace. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** The --json answer of `evaluate` (exactly these keys). */
export interface EvaluateOutput {
  rows: number;
  target: string;
  positiveRate: number;
  models: LeaderboardRow[];
  champion: Algorithm;
}

export function readInputFile(file: string): Buffer {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new InputError(`File not found: ${file}`);
    throw new InputError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  if (!isFile) throw new InputError(`Cannot read ${file}: it is a directory, not a CSV file`);
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES") throw new InputError(`Cannot read ${file}: permission denied`);
    throw new InputError(`Cannot read ${file}: ${(error as Error).message}`);
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function runEvaluate(
  args: EvaluateArgs,
  progress: (message: string) => void = () => {},
): { output: EvaluateOutput; text: string } {
  const bytes = readInputFile(args.file);
  const csv = parseCsv(bytes);
  const schema = profileDataset(csv, args.target ? { target: args.target } : {});
  // Every blocking problem at once (e.g. too few rows AND too few churners), not just the first.
  if (schema.problems.length > 0) {
    throw new InputError(
      `${args.file} cannot be evaluated:\n${schema.problems.map((p) => `  - ${p.message} [${p.code}]`).join("\n")}`,
    );
  }
  const { frame, labels } = buildTrainingSet(csv, schema);
  let positives = 0;
  for (const label of labels) positives += label;
  progress(`${labels.length} rows, target "${schema.target}", ${args.folds}-fold cross-validation`);
  const comparison = compareAlgorithms(schema, frame, labels, {
    folds: args.folds,
    seed: args.seed,
    algorithmOptions: RECOMMENDED_ALGORITHM_OPTIONS,
    onFold: (algorithm, fold) =>
      progress(
        `${algorithmLabel(algorithm)}: fold ${fold.fold + 1}/${args.folds} AUC ${fold.auc.toFixed(4)}`,
      ),
  });
  const models: LeaderboardRow[] = comparison.summaries.map((s) => ({
    algorithm: s.algorithm,
    cvAuc: round(s.cvAuc, 6),
    cvAucStd: round(s.cvAucStd, 6),
    f1Churn: round(s.f1Churn, 6),
    f1Weighted: round(s.f1Weighted, 6),
    brier: round(s.brier, 6),
    fitSeconds: round(s.fitSeconds, 4),
  }));
  const output: EvaluateOutput = {
    rows: labels.length,
    target: schema.target as string,
    positiveRate: round(positives / labels.length, 6),
    models,
    champion: comparison.champion,
  };
  const champion = models.find((m) => m.algorithm === comparison.champion) as LeaderboardRow;
  const text = [
    `${args.file}: ${output.rows} rows, target "${output.target}" (${(output.positiveRate * 100).toFixed(1)} % churned), ${args.folds}-fold stratified cross-validation, seed ${args.seed}`,
    "",
    formatLeaderboard(models, comparison.champion),
    "",
    `Champion: ${algorithmLabel(comparison.champion)} (CV AUC ${champion.cvAuc.toFixed(4)}).`,
    "F1 churn = F1 of the churn class; F1 weighted = both classes' F1 weighted by their size. Both at the",
    "threshold that maximises churn-class F1 on out-of-fold predictions (each fold judged at a threshold",
    "chosen on the other folds). fit s/fold = mean single-thread fit time of one fold.",
  ].join("\n");
  return { output, text };
}
