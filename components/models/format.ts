/** Display helpers for models and runs (no React, no server code). */

export const ALGORITHM_NAMES: Record<string, string> = {
  logistic_regression: "Logistic regression",
  random_forest: "Random forest",
  gradient_boosting: "Gradient boosting",
  svm: "SVM",
  blend: "Blend",
};

export const BALANCING_NAMES: Record<string, string> = {
  none: "None",
  class_weights: "Class weights",
  smote: "SMOTE",
};

/** "no balancing", "SMOTE balancing", "class weights balancing". */
export function balancingPhrase(method: string): string {
  return method === "none" ? "no balancing" : `${BALANCING_NAMES[method] ?? method} balancing`;
}

export function algorithmName(algorithm: string): string {
  return ALGORITHM_NAMES[algorithm] ?? algorithm;
}

/** AUC, F1 and similar scores in 0..1: "0.847"; missing → "—". */
export function formatScore(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || Number.isNaN(value) ? "—" : value.toFixed(digits);
}

/** "0.847 ± 0.011" */
export function formatAucWithStd(mean: number, std: number): string {
  return `${formatScore(mean)} ± ${formatScore(std)}`;
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "—";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || Number.isNaN(value)
    ? "—"
    : `${(value * 100).toFixed(digits)} %`;
}

export function modelTitle(model: { algorithm: string; version: number }): string {
  return `${algorithmName(model.algorithm)} v${model.version}`;
}
