/**
 * A model's quality in a business user's words, from figures training already stored: the ROC AUC
 * (how well it ranks leavers above stayers) and the cumulative gain of its held-out lift table
 * ("the riskiest 30 % of customers hold 7 in 10 leavers").
 */

export type QualityGrade = "excellent" | "good" | "fair" | "weak";

export interface LiftRowLike {
  decile: number;
  cumulativeGain: number;
}

export interface ModelQuality {
  grade: QualityGrade;
  /** Share of leavers among the riskiest `topShare` of customers (held-out), or null without a lift table. */
  caught: number | null;
  topShare: number;
  /** "good — catches 7 in 10 leavers in the riskiest 30 %". */
  sentence: string;
}

/** Common rules of thumb for ROC AUC (Hosmer & Lemeshow, "Applied Logistic Regression", 2000, §5.2.4). */
export function qualityGrade(auc: number): QualityGrade {
  if (auc >= 0.9) return "excellent";
  if (auc >= 0.8) return "good";
  if (auc >= 0.7) return "fair";
  return "weak";
}

export function modelQuality(
  auc: number,
  lift: readonly LiftRowLike[] | null | undefined,
  topDeciles = 3,
): ModelQuality {
  const grade = qualityGrade(auc);
  const row = lift?.find((r) => r.decile === topDeciles);
  const caught = row ? row.cumulativeGain : null;
  const topShare = topDeciles / 10;
  const sentence =
    caught === null
      ? `${grade}: ranks leavers above stayers ${Math.round(auc * 100)} % of the time`
      : `${grade} — catches ${Math.round(caught * 10)} in 10 leavers in the riskiest ${Math.round(topShare * 100)} %`;
  return { grade, caught, topShare, sentence };
}
