/**
 * Population stability index (PSI), the credit-scoring measure of how far a variable's distribution
 * has moved (Siddiqi, "Credit Risk Scorecards", 2006; Yurdakul, 2018, for its statistics):
 *
 *   PSI = Σ_i (a_i − e_i) · ln(a_i / e_i)
 *
 * over the bins i, where e_i is bin i's share of the expected (training) rows and a_i its share of
 * the actual (new) rows. Each term is ≥ 0, so PSI is 0 for identical shares and grows with any move.
 *
 * An empty bin would make a term infinite (ln 0). Shares below PSI_EPSILON = 0.0001 are raised to
 * it, without renormalising the others: a category that appears in new data but never in training
 * then counts as a large, finite shift (a 5 % new category alone adds (0.05 − 0.0001)·ln(500) ≈
 * 0.31), and a bin empty on both sides adds exactly 0. 0.0001 is the usual choice in scorecard
 * monitoring; larger values understate new categories, smaller ones let one rare row dominate.
 */

export const PSI_EPSILON = 1e-4;

/** Each bin's share of the total, floored at `epsilon`; null when there are no rows at all. */
export function binShares(counts: readonly number[], epsilon = PSI_EPSILON): number[] | null {
  let total = 0;
  for (const c of counts) {
    if (!(c >= 0) || !Number.isFinite(c))
      throw new RangeError(`A bin count must be a finite number ≥ 0, got ${c}`);
    total += c;
  }
  if (total === 0) return null;
  return counts.map((c) => Math.max(c / total, epsilon));
}

/**
 * PSI between expected (training) and actual (new) counts per bin, in the same bin order. Null
 * when either side has no rows (nothing to compare).
 */
export function populationStabilityIndex(
  expected: readonly number[],
  actual: readonly number[],
  epsilon = PSI_EPSILON,
): number | null {
  if (expected.length !== actual.length) {
    throw new RangeError(`Expected and actual need the same bins (${expected.length} vs ${actual.length})`);
  }
  const e = binShares(expected, epsilon);
  const a = binShares(actual, epsilon);
  if (!e || !a) return null;
  let psi = 0;
  for (let i = 0; i < e.length; i++) psi += (a[i] - e[i]) * Math.log(a[i] / e[i]);
  return psi;
}
