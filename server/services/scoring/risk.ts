/**
 * Risk levels from a churn probability. Bands are [0, 0.3) low, [0.3, 0.6) medium, [0.6, 1]
 * high: the defaults of the settings page (risk bands) until an admin changes them.
 */
export const RISK_LEVELS = ["low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface RiskBands {
  /** Scores at or above this are at least "medium". */
  medium: number;
  /** Scores at or above this are "high". */
  high: number;
}

export const DEFAULT_RISK_BANDS: Readonly<RiskBands> = Object.freeze({ medium: 0.3, high: 0.6 });

export function riskLevelOf(riskScore: number, bands: RiskBands = DEFAULT_RISK_BANDS): RiskLevel {
  if (riskScore >= bands.high) return "high";
  if (riskScore >= bands.medium) return "medium";
  return "low";
}
