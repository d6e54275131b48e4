/**
 * Measured uplift: the retained rate of customers who got an action minus that of the hold-out
 * group, with a 95 % interval by Newcombe's hybrid score method (Newcombe 1998, "Interval estimation
 * for the difference between independent proportions", method 10), built from the two Wilson score
 * intervals. Chosen over the Wald interval because Wald is too narrow for small groups and rates
 * near 0 or 1 — exactly the case of a 10 % hold-out — and can leave [-1, 1]; Newcombe cannot.
 */

const Z95 = 1.959963984540054;

export interface Interval {
  lower: number;
  upper: number;
}

/** Wilson score interval for x successes out of n (n > 0). */
export function wilsonInterval(x: number, n: number, z = Z95): Interval {
  if (!(n > 0) || x < 0 || x > n) throw new RangeError(`Need 0 ≤ x ≤ n and n > 0, got ${x}/${n}`);
  const p = x / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** Newcombe's hybrid score interval for p1 − p2 (x1/n1 − x2/n2). */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const a = wilsonInterval(x1, n1, z);
  const b = wilsonInterval(x2, n2, z);
  const d = p1 - p2;
  return {
    lower: d - Math.sqrt((p1 - a.lower) ** 2 + (b.upper - p2) ** 2),
    upper: d + Math.sqrt((a.upper - p1) ** 2 + (p2 - b.lower) ** 2),
  };
}

/** The Wald interval, kept for comparison in tests and documentation (not shown to users). */
export function waldInterval(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const half = z * Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return { lower: p1 - p2 - half, upper: p1 - p2 + half };
}

export interface GroupCounts {
  /** Customers with a final outcome (retained or churned) in the group, and how many were retained. */
  resolved: number;
  retained: number;
}

export interface UpliftEstimate {
  treatedRate: number | null;
  holdoutRate: number | null;
  /** Retained-rate difference (action − hold-out) and its 95 % interval; null without both groups. */
  uplift: number | null;
  lower: number | null;
  upper: number | null;
  method: "newcombe-hybrid-score";
}

export function measureUplift(treated: GroupCounts, holdout: GroupCounts): UpliftEstimate {
  const rate = (g: GroupCounts) => (g.resolved > 0 ? g.retained / g.resolved : null);
  const treatedRate = rate(treated);
  const holdoutRate = rate(holdout);
  if (treatedRate === null || holdoutRate === null)
    return {
      treatedRate,
      holdoutRate,
      uplift: null,
      lower: null,
      upper: null,
      method: "newcombe-hybrid-score",
    };
  const ci = newcombeInterval(treated.retained, treated.resolved, holdout.retained, holdout.resolved);
  return {
    treatedRate,
    holdoutRate,
    uplift: treatedRate - holdoutRate,
    lower: ci.lower,
    upper: ci.upper,
    method: "newcombe-hybrid-score",
  };
}

export interface SavedEstimate {
  estimate: number;
  lower: number;
  upper: number;
  sentence: string;
}

/**
 * Customers saved = uplift × customers who got an action, with the interval scaled the same way.
 * The sentence says plainly when the interval includes zero (no effect shown yet).
 */
export function savedCustomers(estimate: UpliftEstimate, treatedCount: number): SavedEstimate | null {
  if (estimate.uplift === null || estimate.lower === null || estimate.upper === null) return null;
  const saved = Math.round(estimate.uplift * treatedCount);
  const lower = Math.round(estimate.lower * treatedCount);
  const upper = Math.round(estimate.upper * treatedCount);
  const people = (n: number) =>
    `${Math.abs(n).toLocaleString("en-US")} customer${Math.abs(n) === 1 ? "" : "s"}`;
  const bound = (n: number) =>
    n < 0 ? `losing ${Math.abs(n).toLocaleString("en-US")}` : n.toLocaleString("en-US");
  let sentence: string;
  if (saved >= 0)
    sentence = `the campaign saved an estimated ${people(saved)} (between ${bound(lower)} and ${bound(upper)})`;
  else
    sentence = `the campaign lost an estimated ${people(saved)} compared with doing nothing (between ${bound(lower)} and ${bound(upper)})`;
  if (estimate.lower <= 0 && estimate.upper >= 0)
    sentence += "; so far this is not distinguishable from no effect";
  return { estimate: saved, lower, upper, sentence };
}
