import { createRng, shuffleInPlace } from "../random";
import type { Labels } from "../types";

/** Row indices of one train/validation (or train/test) partition, ascending. */
export interface Partition {
  readonly train: Uint32Array;
  readonly validation: Uint32Array;
}

export interface StratifiedSplitOptions {
  /** Share of each class held out. Default 0.2. */
  testFraction?: number;
  /** Default 42. */
  seed?: number;
}

export interface StratifiedKFoldOptions {
  /** Default 5. */
  folds?: number;
  /** Default 42. */
  seed?: number;
}

function shuffledClassIndices(y: Labels, seed: number): [Uint32Array, Uint32Array] {
  const negatives: number[] = [];
  const positives: number[] = [];
  for (let i = 0; i < y.length; i++) (y[i] === 1 ? positives : negatives).push(i);
  const rng = createRng(seed);
  return [shuffleInPlace(Uint32Array.from(negatives), rng), shuffleInPlace(Uint32Array.from(positives), rng)];
}

function sorted(indices: number[]): Uint32Array {
  return Uint32Array.from(indices).sort();
}

/** One stratified hold-out split: each class contributes round(count * testFraction) test rows. */
export function stratifiedSplit(y: Labels, options: StratifiedSplitOptions = {}): Partition {
  const { testFraction = 0.2, seed = 42 } = options;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new Error(`testFraction must be between 0 and 1, got ${testFraction}`);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const members of shuffledClassIndices(y, seed)) {
    const nTest = Math.round(members.length * testFraction);
    for (let i = 0; i < members.length; i++) (i < nTest ? test : train).push(members[i]);
  }
  return { train: sorted(train), validation: sorted(test) };
}

/**
 * Stratified k-fold: each class is shuffled with the seed and dealt round-robin to the folds, so
 * every fold's churn rate matches the whole set's to within one row per class.
 */
export function stratifiedKFold(y: Labels, options: StratifiedKFoldOptions = {}): Partition[] {
  const { folds = 5, seed = 42 } = options;
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`folds must be an integer >= 2, got ${folds}`);
  const classes = shuffledClassIndices(y, seed);
  for (const [label, members] of classes.entries()) {
    if (members.length < folds) {
      throw new Error(`Only ${members.length} rows of class ${label}: cannot make ${folds} stratified folds`);
    }
  }
  const foldOf = new Int32Array(y.length);
  // Continue dealing across classes so the fold sizes also stay within one row of each other.
  let next = 0;
  for (const members of classes) {
    for (let i = 0; i < members.length; i++) {
      foldOf[members[i]] = next;
      next = (next + 1) % folds;
    }
  }
  const partitions: Partition[] = [];
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const validation: number[] = [];
    for (let i = 0; i < y.length; i++) (foldOf[i] === f ? validation : train).push(i);
    partitions.push({ train: Uint32Array.from(train), validation: Uint32Array.from(validation) });
  }
  return partitions;
}
