/**
 * Command-line arguments of `churnguard`. Hand-parsed (node:util parseArgs would do, but its
 * messages name internals; ours name the flag the user typed and what it expects).
 */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const USAGE = `Usage: npm run churnguard -- evaluate <file.csv> [--target <column>] [--folds 5] [--seed 42] [--json]
       npm run churnguard -- predict <model.json> --input <customers.json|customers.csv> [--bands 0.3,0.6] [--lenient] [--json]

Commands:
  evaluate   infer the schema, build the feature pipeline and cross-validate logistic regression,
             random forest, gradient boosting and an SVM; print a leaderboard
  predict    score customers with a model file (model page → Download model): risk, level and the
             top drivers in probability points

Options (evaluate):
  --target <column>  the churn column (default: inferred from names and values)
  --folds <k>        stratified cross-validation folds, 2..20 (default 5)
  --seed <n>         seed for folds and models (default 42)
Options (predict):
  --input <file>     customers: a JSON object, a JSON array of objects, or a CSV with a header
  --bands <m,h>      risk level bands: medium from m, high from h (default 0.3,0.6)
  --lenient          impute unreadable values and unseen categories (with a warning) instead of
                     refusing the file
Both:
  --json             print one JSON object instead of the table
  -h, --help         show this help`;

export interface EvaluateArgs {
  readonly command: "evaluate";
  readonly file: string;
  readonly target?: string;
  readonly folds: number;
  readonly seed: number;
  readonly json: boolean;
}

export interface PredictArgs {
  readonly command: "predict";
  readonly model: string;
  readonly input: string;
  readonly bands?: { medium: number; high: number };
  readonly strict: boolean;
  readonly json: boolean;
}

export type CliArgs = EvaluateArgs | PredictArgs | { readonly command: "help" };

function integerFlag(flag: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined || raw.startsWith("--")) throw new UsageError(`${flag} needs a value`);
  if (!/^\d+$/.test(raw)) throw new UsageError(`${flag} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new UsageError(`${flag} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  if (argv.length === 0) throw new UsageError("Missing command (expected: evaluate or predict)");
  if (argv.includes("--help") || argv.includes("-h") || argv[0] === "help") return { command: "help" };
  const [command, ...rest] = argv;
  if (command === "predict") return parsePredictArgs(rest);
  if (command !== "evaluate")
    throw new UsageError(`Unknown command "${command}" (expected: evaluate or predict)`);
  let file: string | undefined;
  let target: string | undefined;
  let folds = 5;
  let seed = 42;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    // Accept --flag=value as well as --flag value.
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inlineValue = eq > 0 ? arg.slice(eq + 1) : undefined;
    const takeValue = () => {
      if (inlineValue !== undefined) return inlineValue;
      i++;
      return rest[i];
    };
    switch (flag) {
      case "--target": {
        const value = takeValue();
        if (value === undefined || value === "" || value.startsWith("--"))
          throw new UsageError("--target needs a column name");
        target = value;
        break;
      }
      case "--folds":
        folds = integerFlag("--folds", takeValue(), 2, 20);
        break;
      case "--seed":
        seed = integerFlag("--seed", takeValue(), 0, 2 ** 32 - 1);
        break;
      case "--json":
        if (inlineValue !== undefined) throw new UsageError("--json takes no value");
        json = true;
        break;
      default:
        if (arg.startsWith("-")) throw new UsageError(`Unknown option ${flag}`);
        if (file !== undefined)
          throw new UsageError(`Unexpected argument "${arg}" (only one file can be evaluated)`);
        file = arg;
    }
  }
  if (file === undefined) throw new UsageError("Missing the CSV file to evaluate");
  return { command: "evaluate", file, target, folds, seed, json };
}

function parsePredictArgs(rest: readonly string[]): PredictArgs {
  let model: string | undefined;
  let input: string | undefined;
  let bands: { medium: number; high: number } | undefined;
  let strict = true;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inlineValue = eq > 0 ? arg.slice(eq + 1) : undefined;
    const takeValue = () => {
      if (inlineValue !== undefined) return inlineValue;
      i++;
      return rest[i];
    };
    switch (flag) {
      case "--input": {
        const value = takeValue();
        if (value === undefined || value === "" || value.startsWith("--"))
          throw new UsageError("--input needs a file of customers (.json or .csv)");
        input = value;
        break;
      }
      case "--bands": {
        const value = takeValue();
        const match = value === undefined ? null : /^(0?\.\d+|0),(0?\.\d+|1)$/.exec(value);
        const medium = match ? Number(match[1]) : Number.NaN;
        const high = match ? Number(match[2]) : Number.NaN;
        if (!match || !(medium > 0 && medium < high && high < 1))
          throw new UsageError(
            `--bands must be two numbers 0 < medium < high < 1 like 0.3,0.6, got "${value ?? ""}"`,
          );
        bands = { medium, high };
        break;
      }
      case "--lenient":
        if (inlineValue !== undefined) throw new UsageError("--lenient takes no value");
        strict = false;
        break;
      case "--json":
        if (inlineValue !== undefined) throw new UsageError("--json takes no value");
        json = true;
        break;
      default:
        if (arg.startsWith("-")) throw new UsageError(`Unknown option ${flag}`);
        if (model !== undefined) throw new UsageError(`Unexpected argument "${arg}" (only one model file)`);
        model = arg;
    }
  }
  if (model === undefined) throw new UsageError("Missing the model file to predict with");
  if (input === undefined) throw new UsageError("Missing --input <customers.json|customers.csv>");
  return { command: "predict", model, input, bands, strict, json };
}
