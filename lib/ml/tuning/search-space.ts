/**
 * What the budgeted search tries per algorithm. The first candidate is always the recommended
 * configuration (chosen on Telco), so tuning can only replace it when another setting scores
 * better on the inner folds. "quick" tries a few hand-picked alternatives that cover the ways the
 * Telco defaults underfit other tables (deeper forests with small leaves for threshold and
 * interaction effects, deeper or faster boosting, weaker or stronger penalties); "thorough" adds
 * seeded random draws from the grids below (random search, Bergstra & Bengio 2012).
 */
import type { AlgorithmOptions } from "../evaluate/algorithms";
import { createRng, deriveSeed } from "../random";
import type { Algorithm } from "../types";

export const TUNING_BUDGETS = ["quick", "thorough"] as const;
export type TuningBudget = (typeof TUNING_BUDGETS)[number];

/** One candidate: the options of one algorithm that differ from the recommended ones. */
export type Candidate = Readonly<Record<string, number | string | boolean>>;

/** Candidates per budget (the recommended configuration included); "quick" has 1 for the linear models. */
export const CANDIDATES_PER_BUDGET: Readonly<Record<TuningBudget, number>> = Object.freeze({
  quick: 3,
  thorough: 12,
});

/**
 * Rounds grow as the learning rate shrinks; early stopping on the inner validation share picks
 * the actual number, so these are caps.
 */
const ROUNDS_FOR_RATE: Readonly<Record<string, number>> = { "0.1": 300, "0.05": 500, "0.03": 700 };

const QUICK: Readonly<Record<Algorithm, readonly Candidate[]>> = {
  // Recommended: depth 6, 30 rows per leaf.
  random_forest: [
    {},
    { maxDepth: 10, minSamplesLeaf: 5 },
    { maxDepth: 12, minSamplesLeaf: 2, maxFeatures: 0.33 },
  ],
  // Recommended: depth 4, learning rate 0.03, minChildWeight 10, colsample 0.5.
  gradient_boosting: [
    {},
    { maxDepth: 6, learningRate: 0.05, nEstimators: 500, minChildWeight: 3, colsample: 0.8 },
    { maxDepth: 3, learningRate: 0.1, nEstimators: 300, minChildWeight: 1, colsample: 0.8, lambda: 3 },
  ],
  // Linear models: on the suite the penalty moved CV AUC by < 0.001 while the SVM's search cost
  // 4x its CV time (a weak penalty converges slowly), so "quick" keeps their recommended options.
  logistic_regression: [{}],
  svm: [{}],
};

const GRIDS: Readonly<Record<Algorithm, Readonly<Record<string, readonly (number | string)[]>>>> = {
  random_forest: {
    maxDepth: [6, 8, 10, 12],
    minSamplesLeaf: [1, 2, 5, 10, 20, 30],
    maxFeatures: ["sqrt", 0.25, 0.5],
  },
  gradient_boosting: {
    maxDepth: [2, 3, 4, 5, 6],
    learningRate: [0.03, 0.05, 0.1],
    minChildWeight: [1, 3, 5, 10],
    lambda: [0.3, 1, 3, 10],
    subsample: [0.7, 0.8, 1],
    colsample: [0.5, 0.8, 1],
  },
  logistic_regression: { C: [0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30] },
  svm: { C: [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1] },
};

function key(candidate: Candidate): string {
  return JSON.stringify(Object.entries(candidate).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export interface CandidateLimits {
  /** Trees deeper than this are clamped to it (large data: explanation cost). */
  maxTreeDepth?: number | null;
}

/**
 * The candidates of one search, deterministic for (algorithm, budget, seed, limits), without
 * duplicates. The recommended configuration (first) is always within the limits.
 */
export function candidatesFor(
  algorithm: Algorithm,
  budget: TuningBudget,
  seed: number,
  limits: CandidateLimits = {},
): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const maxDepth = limits.maxTreeDepth ?? Number.POSITIVE_INFINITY;
  const add = (drawn: Candidate) => {
    // Deeper trees are clamped to the limit: the candidate still tries its leaf size and features.
    const candidate =
      typeof drawn.maxDepth === "number" && drawn.maxDepth > maxDepth ? { ...drawn, maxDepth } : drawn;
    const k = key(candidate);
    if (seen.has(k)) return false;
    seen.add(k);
    out.push(candidate);
    return true;
  };
  for (const c of QUICK[algorithm]) add(c);
  if (budget === "quick") return out;
  const wanted = CANDIDATES_PER_BUDGET[budget];
  const grid = GRIDS[algorithm];
  const names = Object.keys(grid);
  const rng = createRng(deriveSeed(seed, 0x7e57));
  // A small grid (one parameter) can hold fewer distinct points than asked for.
  const distinct = names.reduce((n, name) => n * grid[name].length, 1);
  for (let attempt = 0; out.length < Math.min(wanted, distinct) && attempt < 200; attempt++) {
    const candidate: Record<string, number | string> = {};
    for (const name of names) candidate[name] = grid[name][rng.int(grid[name].length)];
    if (algorithm === "gradient_boosting") {
      candidate.nEstimators = ROUNDS_FOR_RATE[String(candidate.learningRate)] ?? 300;
    }
    add(candidate);
  }
  return out.slice(0, wanted);
}

/** The recommended options of one algorithm with a candidate on top. */
export function optionsWith(
  base: Readonly<AlgorithmOptions>,
  algorithm: Algorithm,
  candidate: Candidate,
): AlgorithmOptions {
  return { ...base, [algorithm]: { ...(base[algorithm] ?? {}), ...candidate } };
}
