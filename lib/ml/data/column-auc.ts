/**
 * ROC AUC of one score column against binary labels, as the Mann-Whitney U statistic with average
 * ranks for ties (Hanley & McNeil 1982). Schema inference uses it to flag leakage: a single column
 * that separates churners almost perfectly was usually recorded after the churn. Kept here (a few
 * lines) so lib/ml/data does not depend on the evaluation package.
 */

/** AUC in [0, 1]; 0.5 when either class is empty. Rows with a NaN score are skipped. */
export function rankAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i])) order.push(i);
  order.sort((a, b) => scores[a] - scores[b] || 0);
  let positives = 0;
  let rankSumPositives = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] === 1) {
        positives++;
        rankSumPositives += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** How well one column separates the classes in either direction: max(AUC, 1 - AUC). */
export function separation(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const auc = rankAuc(scores, labels);
  return Math.max(auc, 1 - auc);
}
