/**
 * ChurnGuard's command line: `npm run churnguard -- evaluate <file.csv> [--target <column>]
 * [--folds 5] [--seed 42] [--json]` and `npm run churnguard -- predict <model.json> --input
 * <customers.json|csv> [--json]`. Exit codes: 0 success, 1 a problem with the file or data,
 * 2 a usage error; errors go to stderr and name the problem (one line each).
 */
import { isDatasetError } from "../lib/ml/data";
import { parseArgs, USAGE, UsageError } from "./cli/args";
import { InputError, runEvaluate } from "./cli/evaluate-command";
import { runPredict } from "./cli/predict-command";

function main(argv: readonly string[]): number {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`churnguard: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (args.command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const progress = process.stderr.isTTY
      ? (message: string) => process.stderr.write(`${message}\n`)
      : undefined;
    const { output, text } = args.command === "predict" ? runPredict(args) : runEvaluate(args, progress);
    process.stdout.write(args.json ? `${JSON.stringify(output)}\n` : `${text}\n`);
    return 0;
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`churnguard: ${error.message}\n`);
      return 1;
    }
    if (isDatasetError(error)) {
      const file = args.command === "predict" ? args.input : args.file;
      process.stderr.write(`churnguard: ${file}: ${error.message} [${error.code}]\n`);
      return 1;
    }
    process.stderr.write(
      `churnguard: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
