/** Risk levels in words and theme colours (colour only repeats the words). */
export type RiskLevelName = "low" | "medium" | "high";

export const RISK_LEVEL_LABELS: Record<RiskLevelName, string> = {
  low: "Low risk",
  medium: "Medium risk",
  high: "High risk",
};

export const RISK_LEVEL_COLORS: Record<RiskLevelName, string> = {
  low: "var(--success)",
  medium: "var(--warning)",
  high: "var(--destructive)",
};

export const RISK_LEVEL_BADGES: Record<RiskLevelName, "success" | "warning" | "destructive"> = {
  low: "success",
  medium: "warning",
  high: "destructive",
};
