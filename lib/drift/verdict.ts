/**
 * PSI in words, with the conventional scorecard-monitoring cut-offs: below 0.1 the population is
 * stable, 0.1 to 0.2 it moved moderately (watch it), above 0.2 it shifted significantly (the
 * model's scores are no longer reliable for it; retrain).
 */

export const DRIFT_LEVELS = ["stable", "moderate", "significant"] as const;
export type DriftLevel = (typeof DRIFT_LEVELS)[number];

/** Below this: stable. */
export const MODERATE_PSI = 0.1;
/** Above this (strictly): significant. */
export const SIGNIFICANT_PSI = 0.2;

export function driftLevel(psi: number | null): DriftLevel {
  if (psi === null || !(psi >= MODERATE_PSI)) return "stable";
  return psi > SIGNIFICANT_PSI ? "significant" : "moderate";
}

export function worstLevel(levels: Iterable<DriftLevel>): DriftLevel {
  let worst = 0;
  for (const level of levels) worst = Math.max(worst, DRIFT_LEVELS.indexOf(level));
  return DRIFT_LEVELS[worst];
}

export const DRIFT_LEVEL_LABELS: Record<DriftLevel, string> = {
  stable: "Stable",
  moderate: "Moderate drift",
  significant: "Significant drift",
};
