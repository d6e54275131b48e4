/**
 * Kaplan–Meier product-limit estimator of the survival (still-a-customer) curve, with Greenwood's
 * variance and log-log confidence bands (Kalbfleisch & Prentice 2002, §1.4; Collett, "Modelling
 * Survival Data in Medical Research", §2.1–2.3). Input is already aggregated per distinct time
 * (the database groups customers by tenure), so the cost is the number of distinct tenures.
 */

/** Customers who left (events) and who are still customers (censored) at one duration. */
export interface DurationCount {
  time: number;
  events: number;
  censored: number;
}

export interface SurvivalPoint {
  time: number;
  /** Customers still observed just before `time`. */
  atRisk: number;
  events: number;
  censored: number;
  /** S(time): share expected to still be customers after `time`. */
  survival: number;
  /** Confidence band of S(time) (log-log transform, so it stays inside 0..1). */
  lower: number;
  upper: number;
}

export interface SurvivalCurve {
  points: SurvivalPoint[];
  customers: number;
  events: number;
  /** First time at which S ≤ 0.5; null when more than half are still customers at the end. */
  medianLifetime: number | null;
  /** Longest observed duration. */
  maxTime: number;
  /**
   * Events per unit of time observed (events / Σ durations): the constant hazard used to extend
   * the curve past the longest observed duration for expected remaining lifetimes.
   */
  tailHazard: number;
}

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

/**
 * Ties: at one time, events are counted before censorings (a customer censored at t was still a
 * customer at t), the usual convention. Rows with a negative or non-finite time are ignored.
 */
export function kaplanMeier(counts: readonly DurationCount[], z = Z_95): SurvivalCurve {
  const byTime = new Map<number, { events: number; censored: number }>();
  for (const c of counts) {
    if (!Number.isFinite(c.time) || c.time < 0) continue;
    const slot = byTime.get(c.time) ?? { events: 0, censored: 0 };
    slot.events += c.events;
    slot.censored += c.censored;
    byTime.set(c.time, slot);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  let atRisk = 0;
  let events = 0;
  let exposure = 0;
  for (const t of times) {
    const slot = byTime.get(t) as { events: number; censored: number };
    atRisk += slot.events + slot.censored;
    events += slot.events;
    exposure += t * (slot.events + slot.censored);
  }
  const customers = atRisk;
  const points: SurvivalPoint[] = [];
  let survival = 1;
  let greenwood = 0;
  let medianLifetime: number | null = null;
  for (const t of times) {
    const { events: d, censored } = byTime.get(t) as { events: number; censored: number };
    const n = atRisk;
    if (d > 0 && n > 0) {
      survival *= 1 - d / n;
      greenwood += n > d ? d / (n * (n - d)) : Number.POSITIVE_INFINITY;
    }
    const [lower, upper] = logLogBand(survival, greenwood, z);
    points.push({ time: t, atRisk: n, events: d, censored, survival, lower, upper });
    if (medianLifetime === null && survival <= 0.5) medianLifetime = t;
    atRisk -= d + censored;
  }
  return {
    points,
    customers,
    events,
    medianLifetime,
    maxTime: times.length ? times[times.length - 1] : 0,
    tailHazard: exposure > 0 ? events / exposure : 0,
  };
}

/** exp(-exp(log(-log S) ± z·se)), se = sqrt(Σ d/(n(n-d))) / |log S|; degenerate at S = 0 or 1. */
function logLogBand(survival: number, greenwood: number, z: number): [number, number] {
  if (survival >= 1) return [1, 1];
  if (survival <= 0 || !Number.isFinite(greenwood)) return [0, survival <= 0 ? 0 : 1];
  const logS = Math.log(survival);
  const se = Math.sqrt(greenwood) / Math.abs(logS);
  const centre = Math.log(-logS);
  return [Math.exp(-Math.exp(centre + z * se)), Math.exp(-Math.exp(centre - z * se))];
}

/** S(t) of the step curve (right-continuous: a drop at t applies at t). */
export function survivalAt(curve: SurvivalCurve, t: number): number {
  let s = 1;
  for (const p of curve.points) {
    if (p.time > t) break;
    s = p.survival;
  }
  return s;
}

/**
 * Expected remaining lifetime of a customer who has been one for `t`: ∫_t^∞ S(u) du / S(t).
 * The curve is known up to its longest observed duration; past it the survival decays at the
 * average observed hazard (an exponential tail), since a restricted mean would give every
 * customer at the longest tenure zero months left.
 */
export function expectedRemainingLifetime(curve: SurvivalCurve, t: number): number {
  const points = curve.points;
  if (points.length === 0) return 0;
  const tau = curve.maxTime;
  const sTau = points[points.length - 1].survival;
  const tail = curve.tailHazard > 0 ? sTau / curve.tailHazard : 0;
  if (t >= tau) {
    // Memoryless tail: the same expected remainder whatever the tenure beyond the last observation.
    return curve.tailHazard > 0 ? 1 / curve.tailHazard : 0;
  }
  // Area under the step function from t to tau.
  let area = 0;
  let s = 1;
  let from = t;
  for (const p of points) {
    if (p.time <= t) {
      s = p.survival;
      continue;
    }
    area += s * (p.time - from);
    from = p.time;
    s = p.survival;
  }
  const sT = survivalAt(curve, t);
  if (sT <= 0) return 0;
  return (area + tail) / sT;
}

/** The remaining-lifetime lookup for every distinct observed time (sorted), for a SQL join or a binary search. */
export function remainingLifetimeTable(curve: SurvivalCurve): { time: number; remaining: number }[] {
  return curve.points.map((p) => ({ time: p.time, remaining: expectedRemainingLifetime(curve, p.time) }));
}

/**
 * Remaining lifetime at any duration from a table made by remainingLifetimeTable: the row of the
 * largest time ≤ t (durations below the first observed time use the first row).
 */
export function remainingLifetimeOf(
  table: readonly { time: number; remaining: number }[],
  t: number,
): number {
  if (table.length === 0 || !Number.isFinite(t)) return 0;
  let lo = 0;
  let hi = table.length - 1;
  if (t < table[0].time) return table[0].remaining;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (table[mid].time <= t) lo = mid;
    else hi = mid - 1;
  }
  return table[lo].remaining;
}
