/**
 * How far a model's probabilities can be trusted, from its held-out calibration table (reliability
 * diagram bins: customers, mean predicted risk, observed churn rate). For a risk p in bin b the
 * true churn probability is taken to lie in p + [lowₒ − p̄_b, highₒ − p̄_b], where [lowₒ, highₒ] is
 * the Wilson score interval of the bin's observed rate (Wilson 1927; Brown, Cai & DasGupta 2001):
 * it covers both a systematic miscalibration and the bin's sampling noise.
 */

export interface CalibrationBinLike {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** z for a two-sided 90 % interval. */
export const Z_90 = 1.6448536269514722;

export function wilsonInterval(rate: number, n: number, z = Z_90): [number, number] {
  if (n <= 0) return [0, 1];
  const z2 = z * z;
  const centre = (rate + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface ProbabilityBounds {
  lower: number;
  upper: number;
}

/** A function from a risk to its plausible range; the identity range when there is no table. */
export function calibrationBounds(
  bins: readonly CalibrationBinLike[],
  z = Z_90,
): (p: number) => ProbabilityBounds {
  const usable = bins.filter((b) => b.count > 0).sort((a, b) => a.lower - b.lower);
  if (usable.length === 0) return (p) => ({ lower: p, upper: p });
  const offsets = usable.map((b) => {
    const [low, high] = wilsonInterval(b.observedRate, b.count, z);
    return { lower: b.lower, upper: b.upper, down: low - b.meanPredicted, up: high - b.meanPredicted };
  });
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  return (p) => {
    // The bin holding p, else the nearest one (held-out bins can be empty at the extremes).
    let chosen = offsets[0];
    let distance = Number.POSITIVE_INFINITY;
    for (const o of offsets) {
      const d = p < o.lower ? o.lower - p : p >= o.upper ? p - o.upper : 0;
      if (d < distance || (d === 0 && p >= o.lower)) {
        distance = d;
        chosen = o;
      }
      if (d === 0 && p < o.upper) break;
    }
    const lower = clamp(p + chosen.down);
    const upper = clamp(p + chosen.up);
    return { lower: Math.min(lower, upper), upper: Math.max(lower, upper) };
  };
}

/** The largest gap between predicted and observed churn over the bins, weighted by nothing: "within N points". */
export function worstCalibrationGap(bins: readonly CalibrationBinLike[]): number | null {
  const usable = bins.filter((b) => b.count > 0);
  if (usable.length === 0) return null;
  return Math.max(...usable.map((b) => Math.abs(b.observedRate - b.meanPredicted)));
}

/** Expected calibration error: the bins' |observed − predicted| weighted by their customers. */
export function expectedCalibrationError(bins: readonly CalibrationBinLike[]): number | null {
  const total = bins.reduce((s, b) => s + b.count, 0);
  if (total === 0) return null;
  return bins.reduce((s, b) => s + (b.count / total) * Math.abs(b.observedRate - b.meanPredicted), 0);
}
