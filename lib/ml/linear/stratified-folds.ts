import { createRng, shuffleInPlace } from "../random";
import type { Labels } from "../types";

/**
 * Fold id per row, each class dealt round-robin after a seeded shuffle so every fold keeps the churn
 * rate. Used for the SVM's internal calibration split; the evaluator owns the user-facing CV.
 */
export function stratifiedFoldIds(y: Labels, folds: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const ids = new Int32Array(y.length);
  let dealt = 0;
  for (const label of [1, 0]) {
    const members: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === label) members.push(i);
    shuffleInPlace(members, rng);
    // Continue the round-robin where the previous class stopped so fold sizes differ by at most one.
    for (let t = 0; t < members.length; t++) ids[members[t]] = (dealt + t) % folds;
    dealt += members.length;
  }
  return ids;
}
