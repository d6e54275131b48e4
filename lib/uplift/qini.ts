/**
 * The Qini curve (Radcliffe 2007, "Using control groups to target on predicted lift"): rank the
 * customers by predicted uplift, and for each top share of them count the extra customers kept
 * by the action — the treated customers retained minus the hold-out customers retained, the latter
 * scaled to the treated group's size:
 *
 *   Q(k) = R_t(k) − R_c(k) · N_t(k) / N_c(k)      (0 when the top k hold no hold-out customer)
 *
 * R = retained customers, N = customers, t = got the action, c = hold-out, among the top k.
 * A model that finds who the action helps rises steeply first; ranking at random follows the
 * straight line from (0, 0) to (1, Q(n)). Customers with the same predicted uplift are taken
 * together (one point per distinct score), so the curve does not depend on the order of ties.
 */

export interface QiniPoint {
  /** Share of the customers contacted, 0..1 (the top by predicted uplift). */
  share: number;
  /** Customers contacted. */
  contacted: number;
  /** Extra customers kept among them (Q(k) above). */
  gain: number;
  /** What ranking at random would keep for the same number: share × Q(n). */
  random: number;
}

export interface QiniSummary {
  points: QiniPoint[];
  /**
   * Area between the Qini curve and the random line (x = share contacted, y = extra customers
   * kept as a share of all customers). 0 = no better than random; the larger, the better the
   * model finds who the action helps; negative = worse than random.
   */
  coefficient: number;
  /** Extra customers kept if everyone were contacted (Q(n)), by the outcomes observed. */
  totalGain: number;
  /** Extra customers kept by contacting the top 20 % by predicted uplift, and at random. */
  top20: { contacted: number; gain: number; random: number };
}

/** Checks the three arrays and that both groups have customers. */
function checkInputs(
  uplift: ArrayLike<number>,
  treated: ArrayLike<boolean | number>,
  retained: ArrayLike<boolean | number>,
): void {
  const n = uplift.length;
  if (treated.length !== n || retained.length !== n) {
    throw new RangeError(
      `Got ${n} predictions, ${treated.length} treatment flags and ${retained.length} outcomes`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(uplift[i])) throw new RangeError(`Predicted uplift ${uplift[i]} at row ${i}`);
  }
}

/**
 * The Qini curve of predicted uplifts against observed outcomes (retained = 1 is the good
 * outcome), one point per distinct predicted uplift, starting at (0, 0).
 */
export function qiniCurve(
  uplift: ArrayLike<number>,
  treated: ArrayLike<boolean | number>,
  retained: ArrayLike<boolean | number>,
): QiniSummary {
  checkInputs(uplift, treated, retained);
  const n = uplift.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => uplift[b] - uplift[a] || a - b);
  const raw: { contacted: number; gain: number }[] = [{ contacted: 0, gain: 0 }];
  let nT = 0;
  let nC = 0;
  let rT = 0;
  let rC = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (treated[i]) {
      nT++;
      if (retained[i]) rT++;
    } else {
      nC++;
      if (retained[i]) rC++;
    }
    const lastOfTie = k === n - 1 || uplift[order[k + 1]] !== uplift[i];
    if (lastOfTie) raw.push({ contacted: k + 1, gain: rT - (nC > 0 ? (rC * nT) / nC : 0) });
  }
  const totalGain = raw[raw.length - 1].gain;
  const points = raw.map(
    (p): QiniPoint => ({
      share: n ? p.contacted / n : 0,
      contacted: p.contacted,
      gain: p.gain,
      random: n ? (p.contacted / n) * totalGain : 0,
    }),
  );
  // Trapezoids of (gain − random) / n over the share contacted.
  let coefficient = 0;
  for (let j = 1; j < points.length; j++) {
    const a = points[j - 1];
    const b = points[j];
    const width = b.share - a.share;
    coefficient += (width * (a.gain - a.random + (b.gain - b.random))) / 2;
  }
  if (n) coefficient /= n;
  return { points, coefficient, totalGain, top20: gainAt(points, 0.2) };
}

/** Linear interpolation of the curve at a share contacted. */
function gainAt(points: QiniPoint[], share: number): QiniSummary["top20"] {
  const last = points[points.length - 1];
  const contacted = Math.round(share * last.contacted);
  for (let j = 1; j < points.length; j++) {
    const a = points[j - 1];
    const b = points[j];
    if (b.contacted >= contacted) {
      const t = b.contacted === a.contacted ? 1 : (contacted - a.contacted) / (b.contacted - a.contacted);
      return {
        contacted,
        gain: a.gain + t * (b.gain - a.gain),
        random: a.random + t * (b.random - a.random),
      };
    }
  }
  return { contacted, gain: last.gain, random: last.random };
}

/** At most `max` points of the curve (evenly spaced by rank, always the first and last), for charts. */
export function thinQiniPoints(points: readonly QiniPoint[], max = 101): QiniPoint[] {
  if (points.length <= max) return [...points];
  const out: QiniPoint[] = [];
  for (let j = 0; j < max; j++) out.push(points[Math.round((j * (points.length - 1)) / (max - 1))]);
  return out;
}
